import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signIn as signInAs, visible } from '../support/browser';
import { ARTIFACTS, useE2e } from '../support/e2e';

const CRON_SECRET = 'e2e-cron-secret';

const e2e = useE2e({ env: { CRON_SECRET } });

const signIn = (name: string) => signInAs(e2e.browser, e2e.server.url, name);

/** 09:30 next Saturday in Shanghai: inside 李明's seeded availability (Saturdays 9:00–12:00). */
function nextSaturdayMorning(): number {
  const shanghai = new Date(Date.now() + 8 * 3_600_000);
  const days = (6 - shanghai.getUTCDay() + 7) % 7 || 7;
  const date = new Date(
    Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate() + days, 1, 30),
  );
  return date.getTime(); // 01:30 UTC = 09:30 +08:00
}

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

describe('派单 in the browser', () => {
  it('the scheduled tick offers a new order to a volunteer, who sees the countdown and accepts', async () => {
    // Staff publish a project and order it for 王秀英 by phone (代下单), over the API.
    const staff = (await api('/auth/dev', { method: 'POST', body: '{"identity":"staff"}' })).body.token;
    const project = await api('/projects', {
      method: 'POST',
      token: staff,
      body: JSON.stringify({
        communityId: 'c0000000-0000-4000-8000-000000000001',
        title: '陪老人聊天',
        category: 'counseling',
        requiredSkills: ['companionship'],
        pointsPerHour: 10,
        expectedMinutes: 60,
        maxMinutes: 120,
        serviceCommunityIds: ['c0000000-0000-4000-8000-000000000001'],
        responseHours: 24,
      }),
    });
    await api(`/projects/${project.body.id}/status`, {
      method: 'POST',
      token: staff,
      body: '{"action":"publish"}',
    });
    const start = nextSaturdayMorning();
    const order = await api('/orders', {
      method: 'POST',
      token: staff,
      body: JSON.stringify({
        projectId: project.body.id,
        residentId: 'e0000000-0000-4000-8000-000000000001',
        windowStart: new Date(start).toISOString(),
        windowEnd: new Date(start + 7_200_000).toISOString(),
      }),
    });
    expect(order.status).toBe(201);

    // Vercel Cron's call: without the secret it is refused; with it, the order is offered.
    expect((await api('/cron/tick')).status).toBe(401);
    const tick = await api('/cron/tick', { headers: { authorization: `Bearer ${CRON_SECRET}` } });
    expect(tick.body.offersMade).toBe(1);

    // Only 李明 has the 陪伴聊天 skill in 阳光社区 and is free then: the offer is his.
    const volunteer = await signIn('李明');
    await visible(volunteer, '.btn').filter({ hasText: '志愿者中心' }).click();
    await visible(volunteer, '.my-offers').click();
    const offer = visible(volunteer, '.offer-item').filter({ hasText: '陪老人聊天' });
    await expect(offer.locator('.offer-countdown').textContent()).resolves.toMatch(
      /请在 1[45] 分 \d\d 秒 内答复/,
    );
    await volunteer.waitForTimeout(400);
    await volunteer.screenshot({ path: join(ARTIFACTS, 'dispatch-offer.png'), fullPage: true });
    await offer.locator('.accept-offer').click();
    await volunteer.locator('.taro-modal__foot').getByText('接这一单').click();
    await visible(volunteer, '.presence-actions').waitFor();
    expect(await visible(volunteer, '.status-tag').first().textContent()).toBe('已接单');
  });
});
