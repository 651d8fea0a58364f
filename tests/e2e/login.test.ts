import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';
import { launchBrowser, phonePage, visible } from '../support/browser';
import { type DevServer, startDevServer } from '../support/dev-server';

const ARTIFACTS = join(REPO_ROOT, 'tests', 'e2e', 'artifacts');
let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  server = await startDevServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.kill('SIGTERM');
});

async function loginAs(page: Page, name: string): Promise<void> {
  await page.goto(`${server.url}/`);
  const identity = visible(page, '.demo-identity').filter({ hasText: name });
  await identity.click();
  await visible(page, '.greeting').waitFor();
}

describe('the h5 app served by npm run dev', () => {
  it('sends a visitor to login, and 王秀英 (in 长辈模式) to a home of four big buttons', async () => {
    const page = await phonePage(browser);
    await page.goto(`${server.url}/`);
    await visible(page, '.demo-identity').first().waitFor();
    expect(page.url()).toContain('/pages/login/index');

    await loginAs(page, '王秀英');
    // The greeting is filled in when the profile arrives; wait for it rather than read it at once.
    await visible(page, '.greeting .title').filter({ hasText: '王秀英，您好' }).waitFor();
    await visible(page, '.greeting .muted').filter({ hasText: '幸福街道 · 阳光社区' }).waitFor();
    await visible(page, '.elder-orders').waitFor();
    const bigs = await visible(page, '.home-big').allTextContents();
    expect(bigs.map((text) => text.replace(/(说一说|预约社区).*$/, ''))).toEqual([
      '我要求助',
      '找人帮忙',
      '打电话给社区',
      '看看我的订单',
    ]);
    expect(await visible(page, '.category').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'home-elder.png'), fullPage: true });
  });

  it('shows 我的 with the masked phone, role and community; turning 长辈模式 off brings the service list', async () => {
    const page = await phonePage(browser);
    await loginAs(page, '王秀英');
    await page.locator('.taro-tabbar__tabbar').getByText('我的', { exact: true }).click();
    await visible(page, '.me-card').waitFor();
    expect(await visible(page, '.me-card .muted').textContent()).toBe('138****1234');
    expect(await visible(page, '.me-community').textContent()).toBe('阳光社区 · 第一网格');
    expect(await visible(page, '.me-role').allTextContents()).toEqual(['居民阳光社区']);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(ARTIFACTS, 'me-resident.png'), fullPage: true });

    await visible(page, '.elder-switch').click();
    await page.locator('.taro-tabbar__tabbar').getByText('首页', { exact: true }).click();
    await visible(page, '.category').first().waitFor();
    expect(await visible(page, '.category-name').allTextContents()).toEqual([
      '智慧助老',
      '四点半课堂',
      '助餐助洁',
      '法律援助',
      '医疗义诊',
      '心理疏导',
      '家电维修',
      '其他',
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'home-resident.png'), fullPage: true });
  });

  it('opens the staff console subpackage for community staff', async () => {
    const page = await phonePage(browser);
    await loginAs(page, '张红梅');
    await visible(page, '.btn').filter({ hasText: '社区工作台' }).click();
    await visible(page, '.figure').first().waitFor();
    const figures = await visible(page, '.figure').allTextContents();
    expect(figures).toContain('4志愿者');
    expect(figures).toContain('1待审核志愿者');
    await page.screenshot({ path: join(ARTIFACTS, 'staff-console.png'), fullPage: true });
  });
});
