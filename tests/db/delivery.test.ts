// Delivery of the outbox to WeChat subscribe messages and SMS, against the fake
// WeChat and the fake Tencent Cloud SMS on 127.0.0.1: credits, skip-locked
// claims (two senders send once), the shared access token, retries with
// backoff, give-up, refusals not retried, and numbers never logged in full.
import type { OrderView, Project } from '@llb/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NotificationConfig } from '../../functions/src/notifications/config';
import { maskPhone } from '../../functions/src/notifications/mask';
import { type SenderDeps, sendDue } from '../../functions/src/notifications/sender';
import { loadSmsTemplates, loadWechatTemplates } from '../../functions/src/notifications/templates';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type FakeSms, startFakeSms } from '../support/fake-sms';
import {
  type FakeSubscribeMessages,
  type FakeWechat,
  fakeSubscribeMessages,
  startFakeWechat,
} from '../support/fake-wechat';
import { MORE, SEED } from '../support/ids';
import { createResidents, createVolunteers, key, placeOrder, publishProject } from '../support/orders';

const APP_ID = 'wx-delivery-test';
const SECRET = 'app-secret';
const TEMPLATE = 'tmplAccepted_1';

const wechatTemplates = loadWechatTemplates({
  WECHAT_TEMPLATES: JSON.stringify({
    events: {
      order_accepted: {
        templateId: TEMPLATE,
        keywords: {
          thing1: { from: 'projectTitle', type: 'thing' },
          time2: { from: 'windowStart', type: 'time' },
          name3: { from: 'volunteerName', type: 'name' },
        },
      },
    },
  }),
});
const smsTemplates = loadSmsTemplates({
  SMS_TEMPLATES: JSON.stringify({
    order_accepted: { templateId: '2001', params: ['volunteerName', 'time'] },
  }),
});

let t: TestDatabase;
let fake: FakeWechat;
let wx: FakeSubscribeMessages;
let sms: FakeSms;
let project: Project;
let residents: string[];
let volunteers: string[];
let logs: string[] = [];
let day = 0;
const nextDay = () => 40 + 1440 * ++day;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeWechat();
  wx = fakeSubscribeMessages(fake, APP_ID, SECRET);
  sms = await startFakeSms('sms-id', 'sms-key');
  project = await publishProject(t.db);
  residents = await createResidents(t.admin, 60);
  volunteers = await createVolunteers(t.admin, 12);
  await t.admin.query(
    `update public.users set wechat_openid = 'o-' || id where id = any($1::uuid[]) or id = $2`,
    [residents, SEED.residentWang],
  );
}, 60_000);
afterAll(async () => {
  await t.close();
  await fake.close();
  await sms.close();
});
beforeEach(async () => {
  // Each test starts from an empty queue and a fake that answers OK.
  await t.admin.query(
    `update public.notification_deliveries set status = 'skipped' where status = 'pending'`,
  );
  wx.failures.length = 0;
  sms.failures.length = 0;
  logs = [];
});

function deps(overrides: Partial<SenderDeps> & { config?: Partial<NotificationConfig> } = {}): SenderDeps {
  const { config, ...rest } = overrides;
  return {
    db: t.db,
    wechat: { appId: APP_ID, appSecret: SECRET, apiBase: fake.url },
    notifications: { wechatTemplates, sms: null, maxAttempts: 3, retryBaseSeconds: 30, ...config },
    log: (line) => logs.push(line),
    ...rest,
  };
}

let seq = 0;
/** One order_accepted notification to `recipient` written by private.notify, as an event's transaction does. */
async function notify(recipient: string, event = 'order_accepted'): Promise<number> {
  seq += 1;
  await t.admin.query(
    `select private.notify($1::uuid, $2, $3, '已有志愿者接单', '李明 将上门', '/pages/order-detail/index?id=k' || $4,
       jsonb_build_object('projectTitle', '手机使用上门教学：教老人用微信视频、扫码、线上挂号',
         'windowStart', '2026-11-25T01:30:00Z', 'volunteerName', '李明'))`,
    [recipient, event, `test:${seq}`, seq],
  );
  const found = await t.admin.query<{ id: number }>(
    `select d.id from public.notification_deliveries d join public.notifications n on n.id = d.notification_id
     where n.event_key = $1 and d.channel = 'wechat'`,
    [`test:${seq}`],
  );
  return Number(found.rows[0]?.id);
}

const credit = (user: string, n = 1) =>
  t.admin.query(
    `insert into public.subscription_credits (user_id, template_id, credits) values ($1, $2, $3)
     on conflict (user_id, template_id) do update set credits = excluded.credits`,
    [user, TEMPLATE, n],
  );
const creditsOf = async (user: string) =>
  Number(
    (
      await t.admin.query(
        'select credits from public.subscription_credits where user_id = $1 and template_id = $2',
        [user, TEMPLATE],
      )
    ).rows[0]?.credits ?? 0,
  );
const delivery = async (id: number) =>
  (
    await t.admin.query<{
      status: string;
      attempts: number;
      last_error: string | null;
      next_attempt_at: Date;
    }>(
      'select status, attempts, last_error, next_attempt_at from public.notification_deliveries where id = $1',
      [id],
    )
  ).rows[0];
const later = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

describe('the outbox with events', () => {
  const accept = (orderId: string, volunteer: string, k = key()) =>
    t.db.rpc<OrderView>('accept_order', { p_actor: volunteer, p_order_id: orderId, p_key: k });
  const rowsFor = async (orderId: string) =>
    (
      await t.admin.query<{ channel: string }>(
        `select d.channel from public.notifications n
         left join public.notification_deliveries d on d.notification_id = n.id
         where n.event_key like '%' || $1 || '%'`,
        [orderId],
      )
    ).rows;

  it('leaves no notification and nothing to send when the event is rolled back', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    const client = await t.admin.connect();
    try {
      await client.query('begin');
      await client.query('set local role service_role');
      await client.query('select public.accept_order($1, $2, $3)', [volunteers[0], order.id, key()]);
      await client.query('reset role');
      const inside = await client.query(
        `select count(*)::int as n from public.notification_deliveries d join public.notifications n
         on n.id = d.notification_id where n.event_key like $1`,
        [`%${order.id}%`],
      );
      expect(inside.rows[0].n).toBe(1);
    } finally {
      await client.query('rollback');
      client.release();
    }
    expect(await rowsFor(order.id)).toEqual([]);
    await credit(SEED.residentWang);
    expect((await sendDue(deps())).sent).toBe(0);
  });

  it('notifies and sends once for a replayed write (same idempotency key)', async () => {
    const order = await placeOrder(t.db, project.id, { startInMinutes: nextDay() });
    const k = key();
    await accept(order.id, volunteers[1] as string, k);
    await accept(order.id, volunteers[1] as string, k);
    expect(await rowsFor(order.id)).toEqual([{ channel: 'wechat' }]);
    await credit(SEED.residentWang, 5);
    const before = wx.delivered().length;
    expect(await sendDue(deps())).toEqual({ sent: 1, retried: 0, failed: 0, skipped: 0 });
    expect(await sendDue(deps())).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 0 });
    const sent = wx.delivered().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      touser: `o-${SEED.residentWang}`,
      template_id: TEMPLATE,
      page: `pages/order-detail/index?id=${order.id}`,
      miniprogram_state: 'formal',
      data: { thing1: { value: '手机使用上门教学' }, name3: { value: expect.any(String) } },
    });
    expect((sent[0]?.data as { time2: { value: string } } | undefined)?.time2.value).toMatch(
      /^\d{4}年\d{2}月\d{2}日 \d{2}:\d{2}$/,
    );
    expect(await creditsOf(SEED.residentWang)).toBe(4);
  });
});

describe('credits', () => {
  it('records one credit per accept, replays the same answer, and ignores reject and ban', async () => {
    const user = residents[50] as string;
    const k = key();
    const first = await t.db.rpc('add_subscription_credits', {
      p_actor: user,
      p_results: { [TEMPLATE]: 'accept', other: 'reject', banned: 'ban' },
      p_key: k,
    });
    expect(first).toEqual({ credits: { [TEMPLATE]: 1, other: 0, banned: 0 } });
    expect(
      await t.db.rpc('add_subscription_credits', {
        p_actor: user,
        p_results: { [TEMPLATE]: 'accept', other: 'reject', banned: 'ban' },
        p_key: k,
      }),
    ).toEqual(first);
    await t.db.rpc('add_subscription_credits', {
      p_actor: user,
      p_results: { [TEMPLATE]: 'accept' },
      p_key: key(),
    });
    expect(await creditsOf(user)).toBe(2);
  });

  it('skips a message without credit (inbox only) and spends nothing', async () => {
    const user = residents[51] as string;
    const id = await notify(user);
    const before = wx.received.length;
    expect(await sendDue(deps())).toEqual({ sent: 0, retried: 0, failed: 0, skipped: 1 });
    expect(await delivery(id)).toMatchObject({
      status: 'skipped',
      last_error: 'no subscription credit: inbox only',
    });
    expect(wx.received.length).toBe(before);
  });

  it('skips WeChat rows when WeChat or the event’s template is not configured, not leaving them pending', async () => {
    const user = residents[52] as string;
    await credit(user, 3);
    const unconfigured = await notify(user);
    expect((await sendDue(deps({ wechat: null }))).skipped).toBe(1);
    expect(await delivery(unconfigured)).toMatchObject({
      status: 'skipped',
      last_error: 'wechat not configured: inbox only',
    });
    const untemplated = await notify(user, 'offer_made');
    await sendDue(deps());
    expect(await delivery(untemplated)).toMatchObject({
      status: 'skipped',
      last_error: 'no wechat template for offer_made: inbox only',
    });
    expect(await creditsOf(user)).toBe(3);
  });
});

describe('two senders at once', () => {
  it('send each message once, and ask WeChat for a token once', async () => {
    await t.admin.query('delete from public.wechat_access_tokens');
    const tokensBefore = wx.tokenRequests.length;
    const ids: number[] = [];
    for (const user of residents.slice(0, 40)) {
      await credit(user);
      ids.push(await notify(user));
    }
    const before = wx.received.length;
    // Two instances: their own deps, so nothing is shared but the database.
    const [a, b] = await Promise.all([sendDue(deps({ batchSize: 5 })), sendDue(deps({ batchSize: 5 }))]);
    const received = wx.received.slice(before);
    expect(received).toHaveLength(40);
    expect(new Set(received.map((r) => r.body.touser)).size).toBe(40);
    expect(a.sent + b.sent).toBe(40);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);
    expect(wx.tokenRequests.length - tokensBefore).toBe(1);
    const { rows } = await t.admin.query(
      'select status, attempts from public.notification_deliveries where id = any($1::bigint[])',
      [ids],
    );
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    console.log(
      `[delivery] two senders: ${a.sent} + ${b.sent} of 40 sent, each once; 1 stable_token request`,
    );
  });

  it('replace a token WeChat rejects (40001) once, with force_refresh, and send', async () => {
    await sendDue(deps()); // a cached token exists
    const old = wx.currentToken();
    wx.revokeToken();
    const tokensBefore = wx.tokenRequests.length;
    for (const user of residents.slice(40, 46)) {
      await credit(user);
      await notify(user);
    }
    const [a, b] = await Promise.all([sendDue(deps({ batchSize: 3 })), sendDue(deps({ batchSize: 3 }))]);
    // A sender that found the other one mid-refresh puts its messages back for a little
    // later (a retry, not a loss): on a busy machine that happens; the next run sends them.
    const later = a.sent + b.sent < 6 ? await sendDue(deps(), new Date(Date.now() + 10 * 60_000)) : null;
    expect(a.sent + b.sent + (later?.sent ?? 0)).toBe(6);
    const requests = wx.tokenRequests.slice(tokensBefore);
    expect(requests).toEqual([expect.objectContaining({ force_refresh: true })]);
    expect(wx.currentToken()).not.toBe(old);
  });
});

describe('leases', () => {
  it('run from the real clock: a sender running late can’t hand out a lease already over', async () => {
    const user = residents[56] as string;
    await credit(user, 1);
    const id = await notify(user);
    const claim = (at: Date) =>
      t.db.rpc<{ claimed: { id: number }[] }>('claim_deliveries', {
        p_channel: 'wechat',
        p_limit: 50,
        p_now: at.toISOString(),
        p_templates: { order_accepted: TEMPLATE },
        p_lease_seconds: 60,
      });
    const late = await claim(new Date(Date.now() + 1000));
    expect(late.claimed.map((r) => r.id)).toContain(id);
    // Another sender right after, on the real clock: the row is still leased.
    const second = await claim(new Date(Date.now() + 2000));
    expect(second.claimed.map((r) => r.id)).not.toContain(id);
    // The late sender's outcome counts only for its own claim.
    expect(
      await t.db.rpc<boolean>('finish_delivery', {
        p_id: id,
        p_attempts: 99,
        p_outcome: 'sent',
        p_error: null,
        p_retry_at: null,
      }),
    ).toBe(false);
    // The claim that holds it finishes it (and leaves nothing due for the tests after).
    expect(
      await t.db.rpc<boolean>('finish_delivery', {
        p_id: id,
        p_attempts: 1,
        p_outcome: 'sent',
        p_error: null,
        p_retry_at: null,
      }),
    ).toBe(true);
  });
});

describe('retries', () => {
  it('retries transient errors with exponential backoff, spending one credit, then sends', async () => {
    const user = residents[53] as string;
    await credit(user, 1);
    const id = await notify(user);
    wx.failures.push({ errcode: -1, errmsg: 'system error' });
    let failNetwork = true;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).includes('subscribe/send') && failNetwork && wx.failures.length === 0) {
        failNetwork = false;
        throw new TypeError('fetch failed');
      }
      return fetch(input, init);
    };
    const t0 = new Date();
    expect((await sendDue(deps({ fetch: flaky }), t0)).retried).toBe(1);
    let row = await delivery(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'errcode -1 system error' });
    expect(row?.next_attempt_at.getTime()).toBe(later(t0, 30).getTime());
    expect(await creditsOf(user)).toBe(0);
    // Not due yet.
    expect(await sendDue(deps({ fetch: flaky }), later(t0, 10))).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
      skipped: 0,
    });
    const t1 = later(t0, 31);
    expect((await sendDue(deps({ fetch: flaky }), t1)).retried).toBe(1);
    row = await delivery(id);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: 'network: fetch failed' });
    expect(row?.next_attempt_at.getTime()).toBe(later(t1, 60).getTime());
    expect((await sendDue(deps({ fetch: flaky }), later(t1, 61))).sent).toBe(1);
    expect(await delivery(id)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
  });

  it('gives up after the bounded number of tries and keeps the reason', async () => {
    const user = residents[54] as string;
    await credit(user, 1);
    const id = await notify(user);
    for (let i = 0; i < 10; i++) wx.failures.push({ errcode: -1, errmsg: 'system error' });
    let at = new Date();
    const before = wx.received.length;
    for (let i = 0; i < 3; i++) {
      await sendDue(deps(), at);
      at = later(at, 3600);
    }
    expect(await delivery(id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: 'gave up after 3 tries: errcode -1 system error',
    });
    await sendDue(deps(), later(at, 86_400));
    expect(wx.received.length - before).toBe(3);
  });

  it('does not retry a refusal (43101: no subscription at WeChat)', async () => {
    const user = residents[55] as string;
    await credit(user, 1);
    const id = await notify(user);
    wx.failures.push({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
    const before = wx.received.length;
    const t0 = new Date();
    expect((await sendDue(deps(), t0)).failed).toBe(1);
    expect(await delivery(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'refused: user has no subscription (errcode 43101 user refuse to accept the msg)',
    });
    await sendDue(deps(), later(t0, 7200));
    expect(wx.received.length - before).toBe(1);
  });
});

describe('SMS', () => {
  const smsConfig = (apiBase: string) => ({
    provider: 'tencent' as const,
    secretId: 'sms-id',
    secretKey: 'sms-key',
    sdkAppId: '1400000000',
    signName: '邻里帮',
    region: 'ap-guangzhou',
    apiBase,
    templates: smsTemplates ?? {},
  });

  it('texts the served resident of a 代下单 order through the provider, the number masked in every log line', async () => {
    await t.admin.query('update public.users set wechat_openid = null where id = $1', [MORE.residentChen]);
    const order = await placeOrder(t.db, project.id, {
      actor: SEED.staffZhang,
      resident: MORE.residentChen,
      startInMinutes: nextDay(),
    });
    await t.db.rpc('accept_order', { p_actor: volunteers[2], p_order_id: order.id, p_key: key() });
    const { rows } = await t.admin.query<{ contact_phone: string }>(
      'select contact_phone from public.orders where id = $1',
      [order.id],
    );
    const phone = rows[0]?.contact_phone as string;
    const summary = await sendDue(deps({ wechat: null, config: { sms: smsConfig(sms.url) } }));
    expect(summary.sent).toBe(1);
    expect(sms.badSignatures).toBe(0);
    expect(sms.messages.at(-1)).toEqual({
      phone: `+86${phone}`,
      templateId: '2001',
      params: [expect.any(String), expect.stringMatching(/^\d+月\d+日 \d\d:\d\d$/)],
      signName: '邻里帮',
      sdkAppId: '1400000000',
    });
    const line = logs.find((l) => l.includes('[notify] sms'));
    expect(line).toContain(maskPhone(phone));
    expect(logs.join('\n')).not.toContain(phone.slice(3));
    console.log(`[delivery] ${line}`);
  });

  it('does not retry a quota refusal, and keeps its reason with the number masked', async () => {
    const order = await placeOrder(t.db, project.id, {
      actor: SEED.staffZhang,
      resident: MORE.residentChen,
      startInMinutes: nextDay(),
    });
    await t.db.rpc('accept_order', { p_actor: volunteers[3], p_order_id: order.id, p_key: key() });
    sms.failures.push('LimitExceeded.PhoneNumberDailyLimit');
    const count = sms.messages.length;
    const t0 = new Date();
    expect((await sendDue(deps({ wechat: null, config: { sms: smsConfig(sms.url) } }), t0)).failed).toBe(1);
    const { rows } = await t.admin.query<{ status: string; last_error: string; contact_phone: string }>(
      `select d.status, d.last_error, o.contact_phone from public.notification_deliveries d
       join public.notifications n on n.id = d.notification_id
       join public.orders o on o.id = (n.data->>'orderId')::uuid
       where d.channel = 'sms' and o.id = $1`,
      [order.id],
    );
    const row = rows[0];
    expect(row?.status).toBe('failed');
    expect(row?.last_error).toContain(
      `LimitExceeded.PhoneNumberDailyLimit LimitExceeded.PhoneNumberDailyLimit for ${maskPhone(row?.contact_phone ?? '')}`,
    );
    expect(row?.last_error).not.toContain(row?.contact_phone.slice(3));
    expect(logs.join('\n')).not.toContain(row?.contact_phone.slice(3));
    await sendDue(deps({ wechat: null, config: { sms: smsConfig(sms.url) } }), later(t0, 7200));
    expect(sms.messages.length).toBe(count);
  });
});
