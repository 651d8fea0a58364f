// 订阅消息 over HTTP: which templates the app asks for at each natural tap, the
// credits its answers record (idempotent), and the message sent right after a
// write (the after-write hook) and by the tick, to the fake WeChat.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTick } from '../../functions/src/use-cases/run-tick';
import { buildTestApp, demoToken, sendAs } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  type FakeSubscribeMessages,
  type FakeWechat,
  fakeSubscribeMessages,
  startFakeWechat,
} from '../support/fake-wechat';
import { SEED } from '../support/ids';
import { placeOrder, publishProject } from '../support/orders';

const TEMPLATES = {
  events: {
    order_accepted: {
      templateId: 'tmplAccepted',
      keywords: {
        thing1: { from: 'projectTitle', type: 'thing' },
        time2: { from: 'windowStart', type: 'time' },
      },
    },
    service_done: { templateId: 'tmplDone', keywords: { thing1: { from: 'projectTitle', type: 'thing' } } },
    offer_made: { templateId: 'tmplOffer', keywords: { thing1: { from: 'projectTitle', type: 'thing' } } },
  },
};

let t: TestDatabase;
let fake: FakeWechat;
let wx: FakeSubscribeMessages;
let demo: ReturnType<typeof buildTestApp>;
let wechatApp: ReturnType<typeof buildTestApp>;
let send: ReturnType<typeof sendAs>;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeWechat();
  wx = fakeSubscribeMessages(fake, 'wx-api-test', 'secret');
  // Demo identities need an app without WeChat; the app under test has WeChat and
  // templates configured, and accepts the same session tokens.
  demo = buildTestApp(t.db);
  const tokens = {
    resident: await demoToken(demo.call, 'resident'),
    volunteer: await demoToken(demo.call, 'volunteer'),
  };
  wechatApp = buildTestApp(t.db, {
    WECHAT_APP_ID: 'wx-api-test',
    WECHAT_APP_SECRET: 'secret',
    WECHAT_API_BASE: fake.url,
    WECHAT_TEMPLATES: JSON.stringify(TEMPLATES),
  });
  send = sendAs(wechatApp.app, tokens);
  await t.admin.query(`update public.users set wechat_openid = 'o-wang' where id = $1`, [SEED.residentWang]);
}, 60_000);
afterAll(async () => {
  await t.close();
  await fake.close();
});

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return check();
};

describe('GET /api/me/subscriptions/templates', () => {
  it('names the template ids to ask for at each natural tap, from the configuration', async () => {
    const { status, body } = await send('resident', 'GET', '/api/me/subscriptions/templates');
    expect(status).toBe(200);
    expect(body).toEqual({ order: ['tmplAccepted', 'tmplDone'], offers: ['tmplOffer'], store: [] });
  });

  it('asks for nothing when templates are not configured', async () => {
    const { body } = await sendAs(demo.app, { r: await demoToken(demo.call, 'resident') })(
      'r',
      'GET',
      '/api/me/subscriptions/templates',
    );
    expect(body).toEqual({ order: [], offers: [], store: [] });
  });
});

describe('POST /api/me/subscriptions', () => {
  it('records one credit per accepted configured template, once per Idempotency-Key', async () => {
    const headers = { 'idempotency-key': randomUUID() };
    const results = { results: { tmplAccepted: 'accept', tmplDone: 'reject', unknownTemplate: 'accept' } };
    const first = await send('resident', 'POST', '/api/me/subscriptions', results, headers);
    expect(first).toEqual({ status: 200, body: { credits: { tmplAccepted: 1, tmplDone: 0 } } });
    const replay = await send('resident', 'POST', '/api/me/subscriptions', results, headers);
    expect(replay.body).toEqual(first.body);
    const { rows } = await t.admin.query(
      'select template_id, credits from public.subscription_credits where user_id = $1 order by 1',
      [SEED.residentWang],
    );
    expect(rows).toEqual([{ template_id: 'tmplAccepted', credits: 1 }]);
  });

  it('refuses a malformed answer with a Chinese message', async () => {
    const { status, body } = await send('resident', 'POST', '/api/me/subscriptions', {
      results: { tmplAccepted: 'yes' },
    });
    expect(status).toBe(400);
    expect(body.error.message).toBe('订阅结果不正确');
  });
});

describe('sending', () => {
  it('sends the subscribe message right after the write, without the tick', async () => {
    const project = await publishProject(t.db);
    const order = await placeOrder(t.db, project.id, { startInMinutes: 600 });
    const before = wx.delivered().length;
    const accepted = await send('volunteer', 'POST', `/api/orders/${order.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(await until(() => wx.delivered().length > before)).toBe(true);
    expect(wx.delivered().at(-1)).toMatchObject({
      touser: 'o-wang',
      template_id: 'tmplAccepted',
      page: `pages/order-detail/index?id=${order.id}`,
    });
    // WeChat has it; the sender records the outcome a moment later.
    const statuses = async () =>
      (
        await t.admin.query(
          `select d.status from public.notification_deliveries d join public.notifications n on n.id = d.notification_id
           where n.data->>'orderId' = $1 and n.recipient_id = $2`,
          [order.id, SEED.residentWang],
        )
      ).rows;
    const end = Date.now() + 3000;
    while ((await statuses())[0]?.status !== 'sent' && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    expect(await statuses()).toEqual([{ status: 'sent' }]);
  });

  it('leaves the rest to the tick, which reports what it sent', async () => {
    await t.admin.query(
      `update public.subscription_credits set credits = 1 where user_id = $1 and template_id = 'tmplAccepted'`,
      [SEED.residentWang],
    );
    const project = await publishProject(t.db);
    const order = await placeOrder(t.db, project.id, { startInMinutes: 2000 });
    // Written directly (no HTTP write): only the tick can send it.
    await t.db.rpc('accept_order', { p_actor: SEED.volunteerLi, p_order_id: order.id, p_key: randomUUID() });
    const result = await runTick(t.db, new Date());
    expect(result.notificationsSent).toBe(1);
  });
});
