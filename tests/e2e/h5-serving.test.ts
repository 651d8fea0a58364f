import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DevServer, newDataDir, startDevServer } from '../support/dev-server';

let server: DevServer | null = null;
afterEach(async () => {
  await server?.kill('SIGTERM');
  server = null;
});

// Stands in for the two-minute `npm run build:h5` (LLB_H5_BUILD): waits until the test creates
// `go`, then writes index.html where the build would (LLB_H5_OUT).
const FAKE_BUILD = `node -e "const fs=require('fs'),p=require('path'),d=process.env.LLB_H5_OUT;const t=setInterval(()=>{if(fs.existsSync(p.join(d,'go'))){clearInterval(t);fs.writeFileSync(p.join(d,'index.html'),'<div id=app>built</div>')}},100)"`;

describe('npm run dev while the h5 build runs', () => {
  it('answers /api/health and 正在准备 at / until the build is done, then serves the app', async () => {
    const out = join(await newDataDir(), 'h5');
    await mkdir(out, { recursive: true });
    server = await startDevServer({
      env: { SKIP_H5_BUILD: '0', LLB_H5_OUT: out, LLB_H5_BUILD: FAKE_BUILD },
    });
    const { url } = server;
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ ok: true, db: 'up' });
    const waiting = await fetch(`${url}/`);
    expect(waiting.status).toBe(503);
    expect(await waiting.text()).toContain('正在准备');
    expect(server.output()).toContain('正在准备 until the h5 build is done');

    await writeFile(join(out, 'go'), '');
    const deadline = Date.now() + 20_000;
    let home = await fetch(`${url}/`);
    while (home.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      home = await fetch(`${url}/`);
    }
    expect(home.status).toBe(200);
    expect(await home.text()).toBe('<div id=app>built</div>');
    expect(server.output()).toMatch(/邻里帮 is running at http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('the h5 build as served', () => {
  it('sends hashed files compressed and immutable, index.html no-cache, and a favicon', async () => {
    server = await startDevServer();
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('cache-control')).toBe('no-cache');
    const html = await home.text(); // under 1 KB: sent as is
    const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).toMatch(/\.[0-9a-f]{8}\.js$/);
      const asset = await fetch(`${server.url}${src}`, { headers: { 'accept-encoding': 'gzip, br' } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe('br'); // fetch decodes it
      expect(await asset.text()).toContain('webpack');
    }
    const favicon = await fetch(`${server.url}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('content-type')).toBe('image/x-icon');
  });
});
