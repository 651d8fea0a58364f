import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn as signInAs, visible } from '../support/browser';
import { shot, tap, useE2e } from '../support/e2e';

const CRON_SECRET = 'e2e-cron-secret';
const SUNSHINE = 'c0000000-0000-4000-8000-000000000001'; // 阳光社区

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

/** A tab of the bottom bar (outside the page, so not through `visible`). */
const tab = (page: Page, text: string) =>
  page.locator('.taro-tabbar__tabbar').getByText(text, { exact: true }).click();

/** 09:30 next Saturday in Shanghai: inside the weekend hours the new volunteer offers. */
function nextSaturdayMorning(): number {
  const shanghai = new Date(Date.now() + 8 * 3_600_000);
  const days = (6 - shanghai.getUTCDay() + 7) % 7 || 7;
  return Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + days, 1, 30);
}

describe('成为志愿者 in the browser', () => {
  it('a resident applies, staff approve on the people page, the new volunteer is offered a new order and takes it, staff confirm his arrival by phone', async () => {
    // 陈建国 is a resident of 阳光社区 and not a volunteer: he applies from 我的.
    const applicant = await signIn('陈建国');
    await tab(applicant, '我的');
    await tap(applicant, '.become-volunteer');
    await visible(applicant, '.apply-submit').waitFor();
    await visible(applicant, '.apply-name input').fill('陈建国');
    await visible(applicant, '.apply-phone input').fill('13912345678');
    await visible(applicant, '.apply-id input').fill('11010519491231002X');
    // 课业辅导: in 阳光社区 only 赵丽 has it, and she is not free on Saturday mornings.
    await tap(applicant, '.apply-skill', '课业辅导');
    await tap(applicant, '.apply-skill', '智能手机教学');
    // The weekly hours start as Saturday and Sunday, 09:00–18:00.
    expect(await visible(applicant, '.slot-weekday').allTextContents()).toEqual(['周六 ›', '周日 ›']);
    // Without the pledge the form says what is missing, in the form itself.
    await tap(applicant, '.apply-submit');
    await expect(visible(applicant, '.apply-problem').textContent()).resolves.toBe('请阅读并同意志愿者承诺');
    await tap(applicant, '.apply-pledge');
    await shot(applicant, 'join-1-apply-form');
    await tap(applicant, '.apply-submit');
    await visible(applicant, '.application-state').filter({ hasText: '已提交，等待社区审核' }).waitFor();
    // The ID number is shown masked only, to the applicant too.
    const status = (await visible(applicant, '.application-status').textContent()) ?? '';
    expect(status).toContain('1101**********002X');
    expect(status).not.toContain('11010519491231002X');
    await shot(applicant, 'join-2-applied');

    // 张红梅, staff of 阳光社区, approves him on 志愿者积分 filtered to 待审核.
    const staff = await signIn('张红梅');
    await staff.goto(`${e2e.server.url}/#/staff/pages/people/index?communityId=${SUNSHINE}&status=pending`);
    const row = visible(staff, '.person').filter({ hasText: '陈建国' });
    await row.locator('.application-skill').filter({ hasText: '课业辅导' }).waitFor();
    await shot(staff, 'join-3-staff-pending');
    await row.locator('.review-approve').click();
    await visible(staff, '.people-filter').filter({ hasText: '全部' }).click();
    await visible(staff, '.person')
      .filter({ hasText: '陈建国' })
      .locator('.status-tag')
      .filter({ hasText: '已认证' })
      .waitFor();
    await shot(staff, 'join-4-staff-approved');

    // A project that needs 课业辅导, and 王秀英 (resident of 阳光社区) orders it for Saturday morning (over the API).
    const staffToken = (await api('/auth/dev', { method: 'POST', body: '{"identity":"staff"}' })).body.token;
    const title = '陪读辅导：教孙辈做功课';
    const project = await api('/projects', {
      method: 'POST',
      token: staffToken,
      body: JSON.stringify({
        communityId: SUNSHINE,
        title,
        category: 'other',
        requiredSkills: ['tutoring'],
        pointsPerHour: 10,
        expectedMinutes: 60,
        maxMinutes: 120,
        serviceCommunityIds: [SUNSHINE],
        responseHours: 24,
      }),
    });
    expect(project.status, JSON.stringify(project.body)).toBeLessThan(300);
    const published = await api(`/projects/${project.body.id}/status`, {
      method: 'POST',
      token: staffToken,
      body: '{"action":"publish"}',
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const start = nextSaturdayMorning();
    const residentToken = (await api('/auth/dev', { method: 'POST', body: '{"identity":"resident"}' })).body
      .token;
    const order = await api('/orders', {
      method: 'POST',
      token: residentToken,
      body: JSON.stringify({
        projectId: project.body.id,
        windowStart: new Date(start).toISOString(),
        windowEnd: new Date(start + 7_200_000).toISOString(),
      }),
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);

    // The scheduled tick (Vercel Cron's call) offers it: the new volunteer is the only one who wants it.
    const tick = await api('/cron/tick', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(tick.status, JSON.stringify(tick.body)).toBe(200);
    expect(tick.body.offersMade).toBe(1);

    // He finds it from 我的 → 志愿者中心 → 派给我的任务.
    await applicant.goto(`${e2e.server.url}/#/pages/me/index`);
    await applicant.reload();
    await tap(applicant, '.me-volunteer-center');
    await tap(applicant, '.my-offers');
    const offer = visible(applicant, '.offer-item').filter({ hasText: title });
    await offer.waitFor();
    await shot(applicant, 'join-5-volunteer-offer');
    await offer.locator('.accept-offer').click();
    await applicant.locator('.taro-modal__foot').getByText('接这一单').click();
    await visible(applicant, '.presence-actions').waitFor();

    // On the day the resident can't show a code: staff phone her and confirm he has arrived.
    // (The operator opens check-in early, as if the window had come.)
    await e2e.server.sql(`update public.policies set value = 20000 where key = 'check_in_lead_minutes'`);
    await staff.goto(`${e2e.server.url}/#/staff/pages/order/index?id=${order.body.id}`);
    await tap(staff, '.staff-check-in');
    await expect(visible(staff, '.reason-hint').textContent()).resolves.toContain('记下您的名字');
    await visible(staff, '.reason-input textarea').fill('好的');
    await tap(staff, '.reason-submit');
    await staff.getByText('请写明核实情况，例如：已电话联系居民王阿姨，确认志愿者已到').waitFor();
    expect(await visible(staff, '.check-in-method').count()).toBe(0);
    await visible(staff, '.reason-input textarea').fill('已电话联系居民王阿姨，确认志愿者已到');
    await tap(staff, '.reason-submit');
    await visible(staff, '.check-in-method').filter({ hasText: '社区电话核实' }).waitFor();
    await expect(visible(staff, '.timeline').textContent()).resolves.toContain(
      '方式：社区电话核实，说明：已电话联系居民王阿姨，确认志愿者已到',
    );
    await shot(staff, 'join-6-staff-confirmed-arrival');

    // The volunteer's task page shows how his arrival was proved.
    await applicant.reload();
    await visible(applicant, '.check-in-method').filter({ hasText: '社区电话核实' }).waitFor();
    await visible(applicant, '.status-tag').filter({ hasText: '服务中' }).first().waitFor();
    await shot(applicant, 'join-7-volunteer-task');
  });
});
