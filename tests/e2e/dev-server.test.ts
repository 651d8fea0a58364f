import { afterAll, describe, expect, it } from 'vitest';
import { type DevServer, newDataDir, startDevServer } from '../support/dev-server';

let server: DevServer | null = null;
afterAll(async () => {
  await server?.kill('SIGTERM');
});

describe('npm run dev', () => {
  it('serves the h5 app at / and the API under /api', async () => {
    server = await startDevServer();
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="app">');
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ ok: true, db: 'up' });
    await server.kill('SIGTERM');
    server = null;
  });

  it('starts again on the same data after being killed with SIGKILL', async () => {
    const dataDir = await newDataDir();
    const first = await startDevServer({ dataDir });
    const login = await fetch(`${first.url}/api/auth/dev`, {
      method: 'POST',
      body: '{"identity":"resident"}',
    });
    expect(login.status).toBe(200);
    await first.kill('SIGKILL');

    server = await startDevServer({ dataDir });
    expect(server.output()).toMatch(/stopping orphaned postgres \(pid \d+\)/);
    expect(await (await fetch(`${server.url}/api/health`)).json()).toEqual({ ok: true, db: 'up' });
  });
});
