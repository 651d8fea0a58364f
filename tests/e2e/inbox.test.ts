import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn as signInAs, visible } from '../support/browser';
import { ARTIFACTS, useE2e } from '../support/e2e';

const CRON_SECRET = 'e2e-cron-secret';
const SUNSHINE = 'c0000000-0000-4000-8000-000000000001'; // 阳光社区
const WANG = 'e0000000-0000-4000-8000-000000000001'; // 王秀英, in 长辈模式
const CHEN = 'e0000000-0000-4000-8000-000000000002'; // 陈建国, in 长辈模式, nothing told yet

const e2e = useE2e({ env: { CRON_SECRET } });

const signIn = (name: string) => signInAs(e2e.browser, e2e.server.url, name);

const api = async (path: string, init: RequestInit & { token?: string } = {}) => {
  const response = await fetch(`${e2e.server.url}/api${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers as Record<string, string>),
    },
  });
  return { status: response.status, body: await response.json() };
};

const login = async (identity: string): Promise<string> =>
  (await api('/auth/dev', { method: 'POST', body: JSON.stringify({ identity }) })).body.token;

/** Staff of 阳光社区 publish a visit project needing `skill`. */
async function publishProject(staff: string, title: string, skill: string): Promise<string> {
  const project = await api('/projects', {
    method: 'POST',
    token: staff,
    body: JSON.stringify({
      communityId: SUNSHINE,
      title,
      category: 'counseling',
      requiredSkills: [skill],
      pointsPerHour: 10,
      expectedMinutes: 60,
      maxMinutes: 120,
      serviceCommunityIds: [SUNSHINE],
      responseHours: 24,
    }),
  });
  await api(`/projects/${project.body.id}/status`, {
    method: 'POST',
    token: staff,
    body: '{"action":"publish"}',
  });
  return project.body.id;
}

/** 09:30 next Saturday in Shanghai: inside 李明's seeded availability (Saturdays 9:00–12:00). */
function nextSaturdayMorning(): number {
  const shanghai = new Date(Date.now() + 8 * 3_600_000);
  const days = (6 - shanghai.getUTCDay() + 7) % 7 || 7;
  return Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + days, 1, 30);
}

const tab = (page: Page, text: string) =>
  page.locator('.taro-tabbar__tabbar').getByText(text, { exact: true }).click();
const badge = (page: Page) => page.locator('.taro-tabbar__tabbar .taro-tabbar-badge');

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400); // let the page transition finish
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('消息 in the browser', () => {
  it('a volunteer finds the tick’s offer in 消息, marked unread, and one tap opens the offers', async () => {
    const staff = await login('staff');
    const projectId = await publishProject(staff, '陪老人散步', 'companionship');
    const start = nextSaturdayMorning();
    const order = await api('/orders', {
      method: 'POST',
      token: staff,
      body: JSON.stringify({
        projectId,
        residentId: WANG,
        windowStart: new Date(start).toISOString(),
        windowEnd: new Date(start + 7_200_000).toISOString(),
      }),
    });
    expect(order.status).toBe(201);
    const tick = await api('/cron/tick', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(tick.body.offersMade).toBe(1);

    // Landing on 首页 after login already puts the count on the 消息 tab.
    const volunteer = await signIn('李明');
    await badge(volunteer).filter({ hasText: /^1$/ }).waitFor();
    await tab(volunteer, '消息');
    const item = visible(volunteer, '.inbox-item').filter({ hasText: '新任务：陪老人散步' });
    await expect(item.locator('.inbox-new').textContent()).resolves.toBe('未读');
    await expect(visible(volunteer, '.inbox-count').textContent()).resolves.toBe('1 条未读');
    await shot(volunteer, 'inbox-1-volunteer-offer');

    await item.click();
    const offer = visible(volunteer, '.offer-item').filter({ hasText: '陪老人散步' });
    await offer
      .locator('.offer-countdown')
      .filter({ hasText: /请在 1[45] 分 \d\d 秒 内答复/ })
      .waitFor();
    // h5 asks WeChat for nothing: no reminder button outside the mini-program.
    expect(await visible(volunteer, '.offer-reminders').count()).toBe(0);
    await shot(volunteer, 'inbox-2-volunteer-offers-page');

    // Back in 消息 it is read, and the tab carries no count.
    await volunteer.goBack();
    await visible(volunteer, '.inbox-item.inbox-read').filter({ hasText: '新任务：陪老人散步' }).waitFor();
    expect(await visible(volunteer, '.inbox-new').count()).toBe(0);
    await expect(visible(volunteer, '.inbox-count').textContent()).resolves.toBe('都已读过');
    await badge(volunteer).waitFor({ state: 'detached' });
    await shot(volunteer, 'inbox-6-volunteer-read');
  });

  it('after check-out the resident’s 消息 asks her to rate, and the tap opens the order at its rating panel', async () => {
    const staff = await login('staff');
    const projectId = await publishProject(staff, '教老人用手机挂号', 'smartphone');
    const resident = await login('resident');
    const volunteer = await login('volunteer');
    const order = await api('/orders', {
      method: 'POST',
      token: resident,
      body: JSON.stringify({
        projectId,
        windowStart: new Date(Date.now() + 40 * 60_000).toISOString(),
        windowEnd: new Date(Date.now() + 160 * 60_000).toISOString(),
      }),
    });
    expect(order.status).toBe(201);
    const id = order.body.id as string;
    expect((await api(`/orders/${id}/accept`, { method: 'POST', token: volunteer, body: '{}' })).status).toBe(
      200,
    );

    // The operator opens check-in early and turns the code over every 5 s, so check-out can show a newer one.
    await e2e.server.sql('update public.policies set value = $1 where key = $2', [
      120,
      'check_in_lead_minutes',
    ]);
    await e2e.server.sql('update public.policies set value = $1 where key = $2', [
      5,
      'presence_code_seconds',
    ]);
    const code = async () =>
      (await api(`/orders/${id}/presence-code`, { token: resident })).body.code as string;
    const first = await code();
    const presence = (what: string, shown: string) =>
      api(`/orders/${id}/${what}`, {
        method: 'POST',
        token: volunteer,
        body: JSON.stringify({ method: 'code', code: shown }),
      });
    expect((await presence('check-in', first)).status).toBe(200);
    let second = await code();
    for (let tries = 0; second === first && tries < 40; tries++) {
      await new Promise((r) => setTimeout(r, 250));
      second = await code();
    }
    const done = await presence('check-out', second);
    expect(done.body.status).toBe('completed');

    // 接单, 到场, 完成 (at least): unread, and on the tab as soon as she is home.
    const unread = (await api('/inbox/unread', { token: resident })).body.unread as number;
    expect(unread).toBeGreaterThanOrEqual(3);
    const page = await signIn('王秀英');
    await badge(page)
      .filter({ hasText: new RegExp(`^${unread}$`) })
      .waitFor();
    await tab(page, '消息');
    await visible(page, '.inbox-item.inbox-unread')
      .nth(unread - 1)
      .waitFor();
    const titles = await visible(page, '.inbox-title').allTextContents();
    expect(titles[0]).toBe('服务完成，请评价');
    await shot(page, 'inbox-3-resident-rate-reminder');

    await visible(page, '.inbox-item').filter({ hasText: '服务完成，请评价' }).click();
    await visible(page, '.rate .rate-choice').filter({ hasText: '很好' }).waitFor();
    expect(await visible(page, '.status-tag').first().textContent()).toBe('待评价');
    await shot(page, 'inbox-4-resident-rating-panel');

    await page.goBack();
    await visible(page, '.inbox-count')
      .filter({ hasText: `${unread - 1} 条未读` })
      .waitFor();
    await badge(page)
      .filter({ hasText: new RegExp(`^${unread - 1}$`) })
      .waitFor();
    await visible(page, '.inbox-read-all').click();
    await visible(page, '.inbox-count').filter({ hasText: '都已读过' }).waitFor();
    expect(await visible(page, '.inbox-new').count()).toBe(0);
    await badge(page).waitFor({ state: 'detached' });
  });

  it('shows a next step when empty, pages back 50 at a time, and opens a tab page by switching tabs', async () => {
    const page = await signIn('陈建国');
    await tab(page, '消息');
    await visible(page, '.inbox-empty').filter({ hasText: '还没有消息' }).waitFor();
    await shot(page, 'inbox-5-empty-elder');

    // 55 notifications, the newest about his orders (a tab page).
    await e2e.server.sql(
      `insert into public.notifications (recipient_id, event, event_key, title, body, page)
       select $1, 'order_accepted', 'e2e:' || n, '第 ' || n || ' 条', '测试消息', case when n = 55 then '/pages/orders/index' end
       from generate_series(1, 55) n order by n`,
      [CHEN],
    );
    await tab(page, '我的');
    await badge(page).filter({ hasText: /^55$/ }).waitFor();
    await tab(page, '消息');
    await visible(page, '.inbox-item').nth(49).waitFor();
    expect(await visible(page, '.inbox-item').count()).toBe(50);
    await visible(page, '.inbox-older').click();
    await visible(page, '.inbox-item').filter({ hasText: '第 1 条' }).waitFor();
    expect(await visible(page, '.inbox-item').count()).toBe(55);
    expect(await visible(page, '.inbox-older').count()).toBe(0);

    await visible(page, '.inbox-item').filter({ hasText: '第 55 条' }).click();
    await visible(page, '.my-orders').waitFor();
    await badge(page).filter({ hasText: /^54$/ }).waitFor();
  });
});
