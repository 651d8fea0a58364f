// `npm run bench:h5`: the h5 first screen as a logged-out visitor gets it. Builds h5 when it is
// missing or stale (or reuses it), serves it with the Node server on 127.0.0.1 (the API on an
// embedded, seeded Postgres, as `npm start` would), opens Debian's chromium with 4x CPU
// throttling and a cold cache, loads `/` and counts the bytes on the wire (CDP Network events:
// headers + bodies as received, compressed when the server compresses) until the load event and
// then 500 ms without a request in flight. First contentful paint from the Paint Timing API.
// Usage: npm run bench:h5 -- [--runs 7] [--reuse] [--dir miniprogram/dist/h5] [--throttle 4]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { createApp } from '../functions/src/app';
import { loadConfig } from '../functions/src/config';
import { buildH5, h5BuildIsStale, h5OutDir } from '../functions/src/server/h5-build';
import { startWebServer } from '../functions/src/server/web';
import { testFiles } from '../tests/support/api-app';
import { launchBrowser, phonePage } from '../tests/support/browser';
import { freePort } from '../tests/support/free-port';
import { startBenchDatabase } from './support';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    reuse: { type: 'boolean' },
    dir: { type: 'string' },
    throttle: { type: 'string' },
    verbose: { type: 'boolean' },
  },
});
const runs = Number(values.runs ?? 7);
const throttle = Number(values.throttle ?? 4);
const h5Dir = values.dir ? resolve(values.dir) : h5OutDir();

if (!values.dir && !values.reuse && h5BuildIsStale()) {
  console.log('building h5 (missing or older than its sources)…');
  const started = Date.now();
  await buildH5();
  console.log(`h5 built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

interface Run {
  bytes: number;
  requests: number;
  fcp: number;
  /** When the login page's first button was on screen (the page is usable), ms from navigation start. */
  ready: number;
  files: Map<string, number>;
}

async function measure(browser: Browser, url: string): Promise<Run> {
  const page = await phonePage(browser); // a new context each time: a cold cache
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const urls = new Map<string, string>();
  const files = new Map<string, number>();
  let inFlight = 0;
  let lastActivity = Date.now();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (e.request.url.startsWith('data:')) return; // inlined, nothing on the wire
    if (!urls.has(e.requestId)) inFlight++;
    urls.set(e.requestId, e.request.url);
    lastActivity = Date.now();
  });
  const done = (e: { requestId: string; encodedDataLength?: number }) => {
    if (!urls.has(e.requestId)) return;
    inFlight = Math.max(0, inFlight - 1);
    lastActivity = Date.now();
    const path = new URL(urls.get(e.requestId) ?? 'about:blank').pathname;
    files.set(path, (files.get(path) ?? 0) + (e.encodedDataLength ?? 0));
  };
  cdp.on('Network.loadingFinished', done);
  cdp.on('Network.loadingFailed', (e) => done({ requestId: e.requestId }));

  await page.goto(url, { waitUntil: 'load' });
  while (inFlight > 0 || Date.now() - lastActivity < 500) await new Promise((r) => setTimeout(r, 50));
  await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
  }));
  // The login page's own content: its first button (demo identities or WeChat login).
  const readyHandle = await page.waitForFunction(
    () => {
      const button = document.querySelector('.taro_page taro-button-core, .taro_page button');
      return button ? performance.now() : 0;
    },
    undefined,
    { polling: 10, timeout: 30_000 },
  );
  const ready = (await readyHandle.jsonValue()) as number;
  await page.context().close();
  let bytes = 0;
  for (const size of files.values()) bytes += size;
  return { bytes, requests: files.size, fcp: timing.fcp, ready, files };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const spread = (xs: number[], digits = 0) =>
  `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

const db = await startBenchDatabase(4);
const config = loadConfig({ SESSION_SECRET: 'bench-secret-of-at-least-32-characters' });
const web = await startWebServer(createApp({ db: db.db, config, wechat: null, files: testFiles() }), {
  port: await freePort(),
  hostname: '127.0.0.1',
  h5Dir,
});
const browser = await launchBrowser();
try {
  await measure(browser, `${web.url}/`); // warms the server (its caches) and chromium, not counted
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure(browser, `${web.url}/`));
  const kb = results.map((r) => r.bytes / 1024);
  const fcp = results.map((r) => r.fcp);
  const ready = results.map((r) => r.ready);
  const last = results[results.length - 1];
  if (values.verbose && last) {
    for (const [path, size] of [...last.files].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${(size / 1024).toFixed(1).padStart(7)} KB  ${path}`);
    }
  }
  console.log(
    `${runs} runs, ${last?.requests ?? 0} requests; KB ${spread(kb, 1)}, FCP ${spread(fcp)} ms, login usable ${spread(ready)} ms (median ${median(ready).toFixed(0)} ms)`,
  );
  console.log(
    `h5: first screen ${median(kb).toFixed(0)} KB, FCP ${median(fcp).toFixed(0)} ms (${throttle}x throttle)`,
  );
} finally {
  await browser.close();
  await web.close();
  await db.stop();
}
