import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/src/app';
import { loadConfig } from '../../functions/src/config';
import type { Db } from '../../functions/src/db/port';
import { startWebServer, type WebServer } from '../../functions/src/server/web';
import { TEST_SECRET, testFiles } from '../support/api-app';

// No database: these routes never reach it.
const noDb: Db = {
  rpc: async () => {
    throw new Error('no database in this test');
  },
  close: async () => {},
};

// Over a real socket against the Node server: a client that keeps its
// connection alive must never be left waiting on a socket the server dropped.
let server: WebServer;
let port: number;
beforeAll(async () => {
  const config = loadConfig({ SESSION_SECRET: TEST_SECRET });
  server = await startWebServer(createApp({ db: noDb, config, wechat: null, files: testFiles() }), {
    port: 0,
    hostname: '127.0.0.1',
    h5Dir: '/nonexistent',
  });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
});

/** Writes `raw` on one connection and collects everything until the server closes it or `ms` pass. */
function exchange(raw: string[], ms = 1500): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closedByServer = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedByServer });
    }, ms);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      closedByServer = true;
      clearTimeout(timer);
      resolve({ text, closedByServer });
    });
    socket.on('connect', async () => {
      for (const part of raw) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
}

const health = 'GET /api/auth/options HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n';
const oversized = (size: number) =>
  `POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n${'{"notes":"'.padEnd(size - 2, 'x')}"}`;

describe('a 413 on a keep-alive connection', () => {
  it('tells the client the connection closes, or answers the next request on it', async () => {
    const { text, closedByServer } = await exchange([oversized(300 * 1024), health]);
    const answers = text.split(/(?=HTTP\/1\.1 \d{3})/).filter(Boolean);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 413/);
    expect(answers[0]).toContain('提交的内容太大了');
    const saysClose = /\r\nconnection: close\r\n/i.test(answers[0] ?? '');
    if (closedByServer && answers.length === 1) expect(saysClose).toBe(true);
    else expect(answers[1]).toMatch(/^HTTP\/1\.1 200/);
  });

  it('keeps an ordinary connection alive for the next request', async () => {
    const { text } = await exchange([health, health], 600);
    expect(text.match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });
});
