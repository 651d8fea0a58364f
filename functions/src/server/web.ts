import { existsSync } from 'node:fs';
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
