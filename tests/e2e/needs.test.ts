import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signIn as signInAs, visible } from '../support/browser';
import { shot, tap, useE2e } from '../support/e2e';
import { testPhoto } from '../support/photo';

const e2e = useE2e();

const signIn = (name: string) => signInAs(e2e.browser, e2e.server.url, name);

const api = async (path: string, token: string) => {
  const response = await fetch(`${e2e.server.url}/api${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
};

const login = async (identity: string): Promise<string> => {
  const response = await fetch(`${e2e.server.url}/api/auth/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ identity }),
  });
  return ((await response.json()) as { token: string }).token;
};

/** Answers the confirmation dialog with its yes button. */
const sayYes = (page: Page, yes: string) => page.locator('.taro-modal__foot').getByText(yes).click();

/** Takes a photo: the page opens the browser's file chooser (Taro.chooseMedia), the test gives it a JPEG. */
async function addPhoto(page: Page, seed: number): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), tap(page, '.photo-add')]);
  await chooser.setFiles({ name: `photo-${seed}.jpg`, mimeType: 'image/jpeg', buffer: testPhoto(seed, 256) });
  await visible(page, '.photo-picked .photo-image').first().waitFor();
}

describe('我要求助 and 微心愿 in the browser', () => {
  it('a resident posts a need with a photo → staff publish it as a 微心愿 → a volunteer claims it and fulfils it with a photo → the resident confirms → the points reach the volunteer', async () => {
    const words = '我想学用微信和外地的孙子视频通话，手机不会弄，想请人来家里教一教。';
    const title = '教老人用微信视频通话';

    // 王秀英 (长辈模式) asks from the big 我要求助 button, with a photo, and lets neighbours see it.
    const resident = await signIn('王秀英');
    await tap(resident, '.need-entry');
    await visible(resident, '.need-text textarea').fill(words);
    await addPhoto(resident, 7);
    await tap(resident, '.need-visibility-neighbours');
    await shot(resident, 'needs-1-resident-form');
    await tap(resident, '.submit-need');
    await visible(resident, '.need-facts').waitFor();
    await visible(resident, '.need-status').filter({ hasText: '等社区审核' }).waitFor();
    await visible(resident, '.need-photos .photo-image').waitFor();
    await expect(visible(resident, '.need-visibility').textContent()).resolves.toContain('邻居也能看到');
    await shot(resident, 'needs-2-resident-posted');

    // 张红梅 finds it first in the queue, with the routing model's suggestion, and publishes a 微心愿.
    const staff = await signIn('张红梅');
    await tap(staff, '.btn', '社区工作台');
    await tap(staff, '.console-entry', '居民求助');
    const card = visible(staff, '.need-card').first();
    await expect(card.textContent()).resolves.toContain(words.slice(0, 10));
    await expect(card.locator('.need-suggestion').textContent()).resolves.toMatch(/^建议：.+（把握 \d+%）/);
    await card.click();
    await visible(staff, '.staff-suggestion').waitFor();
    await visible(staff, '.need-photos .photo-image').waitFor();
    await tap(staff, '.decide-publish_wish');
    await visible(staff, '.wish-title-input input').fill(title);
    await visible(staff, '.wish-points-input input').fill('30');
    await shot(staff, 'needs-3-staff-publish');
    await tap(staff, '.submit-wish');
    await visible(staff, '.need-status').filter({ hasText: '已发布为微心愿' }).waitFor();
    expect(await visible(staff, '.decide').count()).toBe(0);

    // 李明 sees it on the 心愿墙 from his volunteer centre, anonymised until he claims it.
    const volunteerToken = await login('volunteer');
    const before = (await api('/wallet', volunteerToken)).body.balance as number;
    const volunteer = await signIn('李明');
    await tap(volunteer, '.btn', '志愿者中心');
    await tap(volunteer, '.volunteer-wishes');
    const wishCard = visible(volunteer, '.wish-card').filter({ hasText: title });
    await expect(wishCard.textContent()).resolves.toContain('一位邻居');
    await shot(volunteer, 'needs-4-volunteer-wishes');
    await wishCard.click();
    await expect(visible(volunteer, '.wish-resident').textContent()).resolves.toBe('一位邻居');
    expect(await visible(volunteer, '.wish-phone').count()).toBe(0);
    await tap(volunteer, '.claim-wish');
    await sayYes(volunteer, '认领');
    // Claimed: the claimer now sees who, where and how to call.
    await visible(volunteer, '.wish-resident')
      .filter({ hasText: /^王秀英$/ })
      .waitFor();
    await expect(visible(volunteer, '.wish-address').textContent()).resolves.toBe('阳光小区3栋2单元501');
    await expect(visible(volunteer, '.wish-phone').textContent()).resolves.toBe('13812341234');
    await addPhoto(volunteer, 8);
    await visible(volunteer, '.fulfil-note textarea').fill('已经教会阿姨用微信视频，和孙子通上话了。');
    await shot(volunteer, 'needs-5-volunteer-fulfil');
    await tap(volunteer, '.submit-fulfil');
    await visible(volunteer, '.wish-status').filter({ hasText: '待确认' }).waitFor();

    // 王秀英 opens 我的求助 from 我的, follows it to the wish, sees the proof and confirms 很好.
    await resident.goto(`${e2e.server.url}/#/pages/me/index`);
    await resident.reload();
    await tap(resident, '.me-needs');
    await tap(resident, '.need-card');
    await tap(resident, '.need-wish-link');
    await visible(resident, '.wish-proof-photo .photo-image').waitFor();
    await expect(visible(resident, '.wish-proof-note').textContent()).resolves.toContain('和孙子通上话了');
    await tap(resident, '.wish-rate', '很好');
    await shot(resident, 'needs-6-resident-confirm');
    await tap(resident, '.submit-confirm');
    await visible(resident, '.wish-status').filter({ hasText: '已完成' }).waitFor();
    await visible(resident, '.wish-awarded')
      .filter({ hasText: /^30 积分$/ })
      .waitFor();

    // The volunteer's wallet shows the wish's points.
    await volunteer.goto(`${e2e.server.url}/#/store/pages/wallet/index`);
    await visible(volunteer, '.wallet-balance')
      .filter({ hasText: new RegExp(`^${before + 30}$`) })
      .waitFor();
    const row = await visible(volunteer, '.ledger-row').first().textContent();
    expect(row).toContain('微心愿奖励');
    expect(row).toMatch(/\+30$/);
    await shot(volunteer, 'needs-7-volunteer-wallet');
  });

  it('staff post a need for a resident who phoned and turn it into an order; the resident sees the order', async () => {
    const words = '家里的老人腿脚不便，想请人每周来打扫一次卫生，顺便陪着说说话。';

    // 张红梅 posts for 王秀英 (代发) from the console.
    const staff = await signIn('张红梅');
    await tap(staff, '.btn', '社区工作台');
    await tap(staff, '.console-entry', '代居民求助');
    await visible(staff, '.resident-query input').fill('王秀英');
    await tap(staff, '.find-resident');
    await tap(staff, '.resident-match', '王秀英');
    await visible(staff, '.need-text textarea').fill(words);
    await tap(staff, '.submit-need');
    await visible(staff, '.staff-need .need-facts').waitFor();
    await expect(visible(staff, '.need-resident').textContent()).resolves.toBe('王秀英（社区代发）');

    // She turns it into a 代下单 order of a menu project, prefilled with the resident's words.
    await tap(staff, '.decide-make_order');
    await visible(staff, '.submit-proxy-order').waitFor();
    expect(await visible(staff, '.proxy-notes textarea').inputValue()).toBe(words);
    await shot(staff, 'needs-8-staff-make-order');
    await tap(staff, '.submit-proxy-order');
    await visible(staff, '.need-status').filter({ hasText: '已安排服务' }).waitFor();
    await tap(staff, '.need-order-link');
    await visible(staff, '.order-facts').waitFor();
    const project = (await visible(staff, '.order-card-title').textContent()) ?? '';
    expect(project).not.toBe('');

    // 王秀英 sees the need answered and the order it became, among her orders too.
    const resident = await signIn('王秀英');
    await resident.goto(`${e2e.server.url}/#/pages/needs/index`);
    const need = visible(resident, '.need-card').filter({ hasText: words.slice(0, 10) });
    await need.locator('.need-status').filter({ hasText: '已安排服务' }).waitFor();
    await need.click();
    await expect(visible(resident, '.need-decision').textContent()).resolves.toContain(project);
    await shot(resident, 'needs-9-resident-need-ordered');
    await tap(resident, '.need-order-link');
    await visible(resident, '.order-facts').waitFor();
    await expect(visible(resident, '.order-card-title').textContent()).resolves.toBe(project);
    await visible(resident, '.status-tag').filter({ hasText: '待接单' }).first().waitFor();
    await shot(resident, 'needs-10-resident-order');
  });
});
