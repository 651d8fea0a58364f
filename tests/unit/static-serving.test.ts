import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptedEncodings, h5Static, h5WhenReady, IMMUTABLE } from '../../functions/src/server/static';

let root = '';
// Compressible and over the 1 KB floor.
const script = `console.log(${JSON.stringify('邻里帮 '.repeat(400))});\n`;
const html = `<!doctype html><html><body><div id="app"></div>${'<!-- 正在 -->'.repeat(100)}</body></html>`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'llb-static-'));
  await mkdir(join(root, 'js'));
  await mkdir(join(root, 'chunk'));
  await writeFile(join(root, 'index.html'), html);
  await writeFile(join(root, 'js', 'app.d18209ea.js'), script);
  // A precompressed sibling, as the build writes them: served as is.
  await writeFile(join(root, 'chunk', '12.0123abcd.js'), script);
  await writeFile(join(root, 'chunk', '12.0123abcd.js.gz'), gzipSync(script));
  await writeFile(join(root, 'favicon.ico'), Buffer.alloc(4286, 7));
  await writeFile(join(root, '.env'), 'SECRET=1');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function site(): Hono {
  const app = new Hono();
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.use('/*', h5Static(root));
  return app;
}

describe('h5 static files', () => {
  it('caches a hashed asset for a year and sends brotli or gzip as asked', async () => {
    const app = site();
    const br = await app.request('/js/app.d18209ea.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.status).toBe(200);
    expect(br.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('content-type')).toMatch(/^text\/javascript/);
    const brBody = Buffer.from(await br.arrayBuffer());
    expect(Number(br.headers.get('content-length'))).toBe(brBody.length);
    expect(brBody.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(brotliDecompressSync(brBody).toString()).toBe(script);

    const gz = await app.request('/js/app.d18209ea.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);

    const plain = await app.request('/js/app.d18209ea.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
  });

  it("sends the build's precompressed file when there is one", async () => {
    const response = await site().request('/chunk/12.0123abcd.js', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(gunzipSync(Buffer.from(await response.arrayBuffer())).toString()).toBe(script);
  });

  it('serves index.html at / with no-cache, and answers 304 to its ETag', async () => {
    const app = site();
    const first = await app.request('/', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(first.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await first.arrayBuffer())).toString()).toBe(html);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);

    const again = await app.request('/index.html', { headers: { 'if-none-match': etag ?? '' } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('no-cache');
    expect(await again.text()).toBe('');
  });

  it('serves the favicon', async () => {
    const response = await site().request('/favicon.ico');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/x-icon');
  });

  it('leaves /api, unknown files, dotfiles and paths out of the folder to the app', async () => {
    const app = site();
    expect(await (await app.request('/api/health')).json()).toEqual({ ok: true });
    expect((await app.request('/nope.js')).status).toBe(404);
    expect((await app.request('/.env')).status).toBe(404);
    expect((await app.request('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await app.request('/js/app.d18209ea.js', { method: 'POST' })).status).toBe(404);
  });

  it('reads Accept-Encoding with q-values', () => {
    expect(acceptedEncodings('gzip, deflate, br, zstd')).toEqual(['br', 'gzip']);
    expect(acceptedEncodings('br;q=0, gzip;q=0.8')).toEqual(['gzip']);
    expect(acceptedEncodings('identity')).toEqual([]);
    expect(acceptedEncodings(undefined)).toEqual([]);
  });
});

describe('while the h5 build runs', () => {
  it('answers /api at once, 正在准备 at /, and the app once the build is done', async () => {
    let finish = () => {};
    const built = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const app = new Hono();
    app.get('/api/health', (c) => c.json({ ok: true }));
    app.use('/*', h5WhenReady(root, built));

    expect(await (await app.request('/api/health')).json()).toEqual({ ok: true });
    const waiting = await app.request('/');
    expect(waiting.status).toBe(503);
    expect(waiting.headers.get('cache-control')).toBe('no-store');
    const page = await waiting.text();
    expect(page).toContain('正在准备');
    expect(page).toContain('http-equiv="refresh"');

    finish();
    await built;
    const ready = await app.request('/');
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe(html);
  });

  it('says the build failed instead of waiting forever', async () => {
    const failed = Promise.reject(new Error('h5 build failed (exit 1)'));
    failed.catch(() => {});
    const app = new Hono();
    app.use('/*', h5WhenReady(root, failed));
    await new Promise((r) => setTimeout(r, 0));
    const response = await app.request('/');
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('网页版没有生成成功');
  });
});
