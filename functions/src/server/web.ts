import { createServer } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { h5OutDir } from './h5-build';
import { h5Static, h5WhenReady } from './static';

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the API and, when it has been built, the h5 mini-program on the same origin
 * (functions/src/server/static.ts). With `h5Ready`, `/` is the 正在准备 page until it settles.
 */
export function startWebServer(
  app: Hono<AppEnv>,
  options: { port: number; hostname: string; h5Dir?: string; h5Ready?: Promise<unknown> },
): Promise<WebServer> {
  const h5Dir = options.h5Dir ?? h5OutDir();
  app.use('/*', options.h5Ready ? h5WhenReady(h5Dir, options.h5Ready) : h5Static(h5Dir));
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname }, (info) => {
      resolve({
        url: `http://${options.hostname}:${info.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Fails fast, before starting anything else, when the port is taken (often: a dev server already running). */
export function assertPortFree(port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(new Error(`port ${port} is in use: is 邻里帮 already running? set PORT`)),
    );
    probe.listen(port, hostname, () => probe.close(() => resolve()));
  });
}
