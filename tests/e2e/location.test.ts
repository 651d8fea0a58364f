import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, visible } from '../support/browser';
import { type DevServer, startDevServer } from '../support/dev-server';

// Location in h5 ends in a position or a message that says what to do, with the browser's
// geolocation granted or denied; a failed check-in sends the volunteer to the 6 digits.

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.kill('SIGTERM');
});

const PHONE_PROJECT = 'b0000000-0000-4000-8000-000000000001'; // seeded 手机使用上门辅导, 阳光社区
const LI = 'e0000000-0000-4000-8000-000000000004';
const AT_HOME = { latitude: 31.2304, longitude: 121.4737, accuracy: 20 }; // 阳光社区

/** Signs in as a demo identity in a browser context of its own, geolocation as given. */
async function signIn(name: string, geo: 'granted' | 'denied'): Promise<Page> {
  const options: BrowserContextOptions = { viewport: { width: 390, height: 844 }, locale: 'zh-CN' };
  if (geo === 'granted') Object.assign(options, { permissions: ['geolocation'], geolocation: AT_HOME });
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await visible(page, '.demo-identity').filter({ hasText: name }).click();
  await visible(page, '.greeting').waitFor();
  return page;
}

async function orderForm(page: Page): Promise<void> {
  await page.goto(`${server.url}/#/pages/order-form/index?projectId=${PHONE_PROJECT}`);
  await visible(page, '.record-location').waitFor();
}

describe('location in h5', () => {
  it('says why, within seconds, when the resident has refused location, and the button works again', async () => {
    const resident = await signIn('王秀英', 'denied');
    await orderForm(resident);
    const started = Date.now();
    await visible(resident, '.record-location').click();
    const note = visible(resident, '.location-note');
    await note.waitFor({ timeout: 10_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await note.textContent()).toMatch(/没有允许这个网页使用位置.*位置可以不填/);
    expect(await visible(resident, '.record-location').textContent()).toBe('记录我现在的位置');
    await resident.context().close();
  });

  it('records the spot when granted; the volunteer checks in by location there, and is sent to the digits when refused', async () => {
    const resident = await signIn('王秀英', 'granted');
    await orderForm(resident);
    await visible(resident, '.record-location').click();
    await visible(resident, '.location-note').filter({ hasText: '已记录' }).waitFor({ timeout: 10_000 });
    await visible(resident, '.submit-order').click();
    await visible(resident, '.order-facts').waitFor();
    const orderId = new URL(resident.url().replace('#', '')).searchParams.get('id');
    expect(orderId).toBeTruthy();
    const stored = await server.sql('select latitude, longitude from public.orders where id = $1', [orderId]);
    // Stored in GCJ-02, like WeChat's own coordinates: a few hundred metres from the GPS reading.
    expect(stored.rows[0]?.latitude).toBeCloseTo(AT_HOME.latitude, 1);
    expect(stored.rows[0]?.latitude).not.toBe(AT_HOME.latitude);

    // 李明 takes it (the hall page is order-loop.test.ts's business), and check-in opens now.
    await server.sql('select public.accept_order($1, $2, $3)', [LI, orderId, `e2e-location-${orderId}`]);
    await server.sql(`update public.policies set value = 120 where key = 'check_in_lead_minutes'`);

    // Refused in the browser: a message within seconds that sends him to the 6 digits.
    const refused = await signIn('李明', 'denied');
    await refused.goto(`${server.url}/#/volunteer/pages/task/index?id=${orderId}`);
    await visible(refused, '.locate-presence').click();
    const problem = visible(refused, '.location-problem');
    await problem.waitFor({ timeout: 10_000 });
    expect(await problem.textContent()).toMatch(/没有允许这个网页使用位置.*请用居民手机上的 6 位数字签到。$/);
    await visible(refused, '.presence-input').waitFor();
    await refused.context().close();

    // Granted, at the resident's door: checked in by location.
    const there = await signIn('李明', 'granted');
    await there.goto(`${server.url}/#/volunteer/pages/task/index?id=${orderId}`);
    await visible(there, '.locate-presence').click();
    // In service: the page now offers check-out.
    await visible(there, '.submit-presence').filter({ hasText: '签退' }).waitFor({ timeout: 10_000 });
    const method = await server.sql(
      `select e.detail->>'method' as method from public.order_events e where e.order_id = $1 and e.action = 'check_in'`,
      [orderId],
    );
    expect(method.rows[0]?.method).toBe('location');
    await there.context().close();
    await resident.context().close();
  });
});
