import { join } from 'node:path';
import { servicePoints } from '@llb/shared';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn as signInAs, visible } from '../support/browser';
import { ARTIFACTS, tap, useE2e } from '../support/e2e';

const e2e = useE2e();

const signIn = (name: string) => signInAs(e2e.browser, e2e.server.url, name);

/** Sets a policy number as an operator would (public.policies), for this server only. */
const setPolicy = (key: string, value: number) =>
  e2e.server.sql('update public.policies set value = $1 where key = $2', [value, key]);

/** The six digits the resident's phone shows now. */
async function shownCode(page: Page): Promise<string> {
  const digits = (await visible(page, '.presence-code').textContent())?.replace(/\s/g, '') ?? '';
  expect(digits).toMatch(/^\d{6}$/);
  return digits;
}

/** Waits until the resident's phone shows a code other than `old` (it refreshes itself). */
async function nextCode(page: Page, old: string): Promise<string> {
  await visible(page, '.presence-code')
    .filter({ hasNotText: old.split('').join(' ') })
    .waitFor();
  return shownCode(page);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400); // let the page transition finish
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe('the order loop in three browsers', () => {
  it('staff publish → resident orders → volunteer accepts, checks in and out with fresh codes → resident rates 很好 (blind: credited at 好, not shown alone) → staff approve the short service', async () => {
    const title = '智慧助老：手机上门教学';

    // 社区工作人员 publishes a 智慧助老 project.
    const staff = await signIn('张红梅');
    await tap(staff, '.btn', '社区工作台');
    await tap(staff, '.console-entry', '服务项目');
    await tap(staff, '.new-project');
    await visible(staff, '.project-title input').fill(title);
    // A high rate, so the minute this test's service lasts earns points to spend below.
    await visible(staff, '.project-points input').fill('1000');
    await tap(staff, '.project-skill', '智能手机教学');
    await tap(staff, '.save-project');
    await visible(staff, '.project-publish').waitFor();
    await tap(staff, '.project-publish');
    await staff.locator('.taro-modal__foot').getByText('发布').click();
    await visible(staff, '.project-state').filter({ hasText: '已发布' }).waitFor();
    await shot(staff, 'loop-1-staff-published');

    // 居民 orders it from the menu.
    const resident = await signIn('王秀英');
    await tap(resident, '.home-big', '找人帮忙'); // 王秀英 is in 长辈模式: two big buttons
    await tap(resident, '.menu-project', title);
    await visible(resident, '.submit-order').waitFor();
    expect(await visible(resident, '.order-address input').inputValue()).toBe('阳光小区3栋2单元501');
    await shot(resident, 'loop-2-resident-order-form');
    await tap(resident, '.submit-order');
    await visible(resident, '.order-facts').waitFor();
    expect(await visible(resident, '.status-tag').first().textContent()).toBe('待接单');
    const orderUrl = resident.url();

    // 志愿者 takes it from the task hall; the address is masked until then.
    const volunteer = await signIn('李明');
    await tap(volunteer, '.btn', '志愿者中心');
    await tap(volunteer, '.btn', '任务大厅');
    const card = visible(volunteer, '.hall-item').filter({ hasText: title });
    await expect(card.textContent()).resolves.toContain('阳光小区***');
    await card.locator('.accept-order').click();
    await volunteer.locator('.taro-modal__foot').getByText('接这一单').click();
    await visible(volunteer, '.presence-actions').waitFor();
    expect(await visible(volunteer, '.order-address-value').textContent()).toBe('阳光小区3栋2单元501');
    // The window starts in about 35 minutes: check-in opens only 15 minutes before it, and the page says when.
    await visible(volunteer, '.check-in-opens').filter({ hasText: '起可以签到' }).waitFor();

    // Rather than wait for the window, the operator opens check-in two hours ahead, and has the
    // resident's code turn over every 15 seconds so check-out can show a code issued after check-in.
    await setPolicy('check_in_lead_minutes', 120);
    await setPolicy('presence_code_seconds', 15);
    await volunteer.reload();
    await visible(volunteer, '.presence-actions').waitFor();
    expect(await visible(volunteer, '.check-in-opens').count()).toBe(0);

    // The resident's phone shows the code; the volunteer types it to check in.
    await resident.goto(orderUrl);
    await resident.reload();
    const checkInCode = await shownCode(resident);
    await shot(resident, 'loop-3-resident-presence-code');
    await visible(volunteer, '.presence-input input').fill(checkInCode);
    await tap(volunteer, '.submit-presence', '签到');
    await visible(volunteer, '.status-tag').filter({ hasText: '服务中' }).first().waitFor();

    // Check-out: the code read at check-in no longer counts; a newer one from the resident's phone does.
    await visible(volunteer, '.presence-input input').fill(checkInCode);
    await tap(volunteer, '.submit-presence', '签退');
    await volunteer.locator('.taro-modal__content').filter({ hasText: '验证码' }).waitFor();
    await volunteer.locator('.taro-modal__foot').getByText('知道了').click();
    // Read the newer code only now and type it at once: it stays good for this step and the next.
    const checkOutCode = await nextCode(resident, checkInCode);
    await visible(volunteer, '.presence-input input').fill(checkOutCode);
    await tap(volunteer, '.submit-presence', '签退');
    await visible(volunteer, '.status-tag').filter({ hasText: '待评价' }).first().waitFor();
    // One minute is shorter than the project's minimum (15 by default): held for staff, and the volunteer is told why.
    await expect(visible(volunteer, '.points-note').textContent()).resolves.toContain('核实后再计积分');

    // 一事一评: the resident rates 很好.
    await resident.reload();
    await tap(resident, '.rate-choice', '很好');
    await tap(resident, '.rate-tag', '耐心');
    await tap(resident, '.submit-rating');
    await visible(resident, '.my-rating').waitFor();
    expect(await visible(resident, '.my-rating').textContent()).toBe('很好');
    const steps = await visible(resident, '.timeline-title').allTextContents();
    expect(steps).toEqual(['下单', '志愿者接单', '到场签到', '服务结束签退', '居民确认并评价']);
    // Within disputeDays of confirming, the resident can still raise a dispute.
    await visible(resident, '.dispute').filter({ hasText: '提出异议' }).waitFor();
    await shot(resident, 'loop-4-resident-rated');

    // Staff check the short service with the resident and approve it: now it earns.
    const orderId = new URL(orderUrl.replace('#', '')).searchParams.get('id');
    await staff.goto(`${e2e.server.url}/#/staff/pages/order/index?id=${orderId}`);
    await tap(staff, '.review-approve');
    await visible(staff, '.reason-input textarea').fill('电话回访，老人说教会了');
    await tap(staff, '.reason-submit');
    await visible(staff, '.timeline-title').filter({ hasText: '社区核实服务记录' }).waitFor();
    expect(await visible(staff, '.review-service').count()).toBe(0);

    // Blind ratings: one rating is never shown alone, so the volunteer reads only that it will show later.
    await volunteer.reload();
    await visible(volunteer, '.timeline-title').filter({ hasText: '居民确认并评价' }).waitFor();
    await volunteer.goto(`${e2e.server.url}/#/volunteer/pages/profile/index`);
    const shownFrom = (
      await e2e.server.sql(`select value from public.policies where key = 'rating_min_shown'`)
    ).rows[0].value;
    await visible(volunteer, '.ratings-hidden')
      .filter({ hasText: `评价满 ${shownFrom} 条后显示` })
      .waitFor();
    expect(await visible(volunteer, '.summary-ratings').count()).toBe(0);
    await shot(volunteer, 'loop-5-volunteer-summary');

    // 积分超市: confirmation credits 1 minute × 1000/h at the 好 factor whatever the rating (很好's extra
    // waits for its batch), on top of the seeded 120; the bag costs 10.
    const credit = servicePoints({ minutes: 1, pointsPerHour: 1000, rating: 2 });
    await tap(volunteer, '.my-points');
    await visible(volunteer, '.wallet-balance').waitFor();
    expect(await visible(volunteer, '.wallet-balance').textContent()).toBe(String(120 + credit));
    const earned = await visible(volunteer, '.ledger-row').first().textContent();
    expect(earned).toContain(`服务：${title}`);
    expect(earned).toMatch(new RegExp(`\\+${credit}$`));
    await tap(volunteer, '.btn', '去积分超市');
    await visible(volunteer, '.goods-item')
      .filter({ hasText: '环保购物袋' })
      .locator('.redeem-goods')
      .click();
    await volunteer.locator('.taro-modal__foot').getByText('兑换').click();
    await visible(volunteer, '.pickup-code').waitFor();
    const pickupCode = (await visible(volunteer, '.pickup-code').textContent())?.replace(/\s/g, '') ?? '';
    expect(pickupCode).toMatch(/^\d{6}$/);
    await shot(volunteer, 'loop-6-volunteer-pickup-code');

    // Staff hand the bag over by the code (核销), once.
    await staff.goto(`${e2e.server.url}/`);
    await tap(staff, '.btn', '社区工作台');
    await tap(staff, '.console-entry', '兑换核销');
    await visible(staff, '.pickup-input input').fill(pickupCode);
    await tap(staff, '.submit-pickup');
    await visible(staff, '.pickup-goods').waitFor();
    expect(await visible(staff, '.pickup-goods').textContent()).toBe('环保购物袋 × 1');
    await shot(staff, 'loop-7-staff-picked-up');

    // Both sides agree: the volunteer has 10 fewer and the bag is picked up; the shelf has 29.
    await volunteer.goto(`${e2e.server.url}/#/store/pages/wallet/index`);
    // The page may first show what it loaded before; wait for the fresh balance.
    await visible(volunteer, '.wallet-balance')
      .filter({ hasText: new RegExp(`^${120 + credit - 10}$`) })
      .waitFor();
    await staff.goBack();
    await tap(staff, '.console-entry', '积分超市物品');
    const bag = visible(staff, '.staff-goods-item').filter({ hasText: '环保购物袋' });
    await expect(bag.locator('.goods-stock').textContent()).resolves.toBe('29 件');
  });
});
