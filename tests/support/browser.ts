import { execFileSync } from 'node:child_process';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

// Debian's chromium (apt-get install chromium); never a downloaded browser.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium not found: apt-get install chromium (or set CHROMIUM_PATH)');
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
}

/** A phone-sized page; Taro h5 keeps earlier pages in the DOM, so look only inside the visible one. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  return context.newPage();
}

export function visible(page: Page, selector: string): Locator {
  return page.locator(`.taro_page.taro_page_stationed:not(.taro_page_shade) ${selector}`);
}

/** Logs in on the h5 app as a demo identity, on a page of its own (each person their own phone). */
export async function signIn(browser: Browser, baseUrl: string, name: string): Promise<Page> {
  const page = await phonePage(browser);
  await page.goto(`${baseUrl}/`);
  await visible(page, '.demo-identity').filter({ hasText: name }).click();
  await visible(page, '.greeting').waitFor();
  return page;
}
