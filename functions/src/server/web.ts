import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';
import { H5_DIST } from '../db/paths';
import type { AppEnv } from '../http/env';

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the API and, when it has been built, the h5 mini-program on the same origin. */
export function startWebServer(
  app: Hono<AppEnv>,
  options: { port: number; hostname: string; h5Dir?: string },
): Promise<WebServer> {
  const h5Dir = options.h5Dir ?? H5_DIST;
  if (existsSync(join(h5Dir, 'index.html'))) {
    app.use('/*', serveStatic({ root: h5Dir }));
  }
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
