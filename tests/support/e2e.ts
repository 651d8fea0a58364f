// What every e2e file starts from: a dev server (its own database and h5 build) and a
// browser, started before the file's tests and stopped after; and the few moves the
// tests share.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';
import { launchBrowser, visible } from './browser';
import { type DevServer, type DevServerOptions, startDevServer } from './dev-server';

export const ARTIFACTS = join(REPO_ROOT, 'tests', 'e2e', 'artifacts');

/** Registers the file's server and browser; read them from the handle inside tests. */
export function useE2e(options: DevServerOptions = {}): { server: DevServer; browser: Browser } {
  const handle = {} as { server: DevServer; browser: Browser };
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    handle.server = await startDevServer(options);
    handle.browser = await launchBrowser();
  });
  afterAll(async () => {
    await handle.browser?.close();
    await handle.server?.kill('SIGTERM');
  });
  return handle;
}

/** Taps the first visible element matching the selector (and holding the text). */
export const tap = (page: Page, selector: string, text?: string) =>
  (text ? visible(page, selector).filter({ hasText: text }) : visible(page, selector)).first().click();

/** The whole page in one picture: Taro h5 scrolls inside the page, so grow the window to its height. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400); // let the page transition finish
  const height = await page.evaluate(
    () => document.querySelector('.taro_page.taro_page_stationed:not(.taro_page_shade)')?.scrollHeight ?? 0,
  );
  await page.setViewportSize({ width: 390, height: Math.min(Math.max(height, 844), 6000) });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
}
