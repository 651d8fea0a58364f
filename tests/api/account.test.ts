import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, demoToken, sendAs } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import {
  type FakePhoneNumbers,
  type FakeWechat,
  fakePhoneNumbers,
  startFakeWechat,
} from '../support/fake-wechat';
import { SEED } from '../support/ids';
import { placeOrder, publishProject } from '../support/orders';

const APP_ID = 'wx-test-app';
let t: TestDatabase;
let wechat: FakeWechat;
let phones: FakePhoneNumbers;
beforeAll(async () => {
  t = await createTestDatabase();
  wechat = await startFakeWechat();
  phones = fakePhoneNumbers(wechat, APP_ID);
});
afterAll(async () => {
  await wechat.close();
  await t.close();
});

const wechatApp = () =>
  buildTestApp(t.db, { WECHAT_APP_ID: APP_ID, WECHAT_APP_SECRET: 'app-secret', WECHAT_API_BASE: wechat.url });

async function wechatLogin(app: ReturnType<typeof wechatApp>, openid: string): Promise<string> {
  wechat.codes.set(`login-${openid}`, { openid, session_key: 'never-kept' });
  const { status, body } = await app.call('POST', '/api/auth/wechat', { body: { code: `login-${openid}` } });
  expect(status).toBe(200);
  return body.token;
}

describe('POST /api/me/phone (getPhoneNumber)', () => {
  it("exchanges the button's code with WeChat and keeps the number as the person's own", async () => {
    const app = wechatApp();
    const token = await wechatLogin(app, 'o-phone-1');
    const send = sendAs(app.app, { me: token });
    phones.phones.set('phone-code-1', '13655556666');
    phones.phones.set('phone-code-2', '13655557777');
    const first = await send('me', 'POST', '/api/me/phone', { code: 'phone-code-1' });
    expect(first).toEqual({ status: 200, body: { phone: '13655556666', phoneMasked: '136****6666' } });
    expect((await send('me', 'POST', '/api/me/phone', { code: 'phone-code-2' })).status).toBe(200);
    expect((await app.call('GET', '/api/me', { token })).body.phone).toBe('13655557777');
    // One stable token for both exchanges: cached in Postgres until shortly before it expires.
    expect(phones.tokenRequests).toEqual([
      expect.objectContaining({ grant_type: 'client_credential', appid: APP_ID, secret: 'app-secret' }),
    ]);
    expect(phones.tokensUsed).toEqual(['token-1', 'token-1']);
  });

  it('answers a resend as the first time, without spending WeChat’s one-time code again', async () => {
    const app = wechatApp();
    const token = await wechatLogin(app, 'o-phone-resend');
    const send = sendAs(app.app, { me: token });
    phones.phones.set('phone-code-once', '13655558888');
    const asked = phones.tokensUsed.length;
    const headers = { 'idempotency-key': 'phone-resend-0001' };
    const first = await send('me', 'POST', '/api/me/phone', { code: 'phone-code-once' }, headers);
    const resend = await send('me', 'POST', '/api/me/phone', { code: 'phone-code-once' }, headers);
    expect(first).toEqual({ status: 200, body: { phone: '13655558888', phoneMasked: '136****8888' } });
    expect(resend).toEqual(first);
    expect(phones.tokensUsed.length - asked).toBe(1);
  });

  it('refuses a used or made-up code in Chinese and changes nothing', async () => {
    const app = wechatApp();
    const token = await wechatLogin(app, 'o-phone-2');
    const send = sendAs(app.app, { me: token });
    const bad = await send('me', 'POST', '/api/me/phone', { code: 'never-issued' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/再点一次/);
    expect((await send('me', 'POST', '/api/me/phone', { code: 'has spaces' })).status).toBe(400);
    expect((await app.call('GET', '/api/me', { token })).body.phone).toBeNull();
  });

  it('is not offered without WeChat: the number is typed instead', async () => {
    const { app, call } = buildTestApp(t.db);
    const send = sendAs(app, { me: await demoToken(call, 'resident-liu') });
    const answer = await send('me', 'POST', '/api/me/phone', { code: 'phone-code-1' });
    expect(answer.status).toBe(409);
    expect(answer.body.error.message).toMatch(/手动填写/);
  });
});

describe('DELETE /api/me (注销)', () => {
  it('deletes the account once, ends the session, and answers a resend the same', async () => {
    const app = wechatApp();
    const token = await wechatLogin(app, 'o-leaving');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const withoutKey = await app.app.request('/api/me', { method: 'DELETE', headers });
    expect(withoutKey.status).toBe(400);
    expect((await app.call('GET', '/api/me', { token })).status).toBe(200);
    const send = sendAs(app.app, { me: token });
    const keyed = { 'idempotency-key': 'delete-me-once-1' };
    const gone = await send('me', 'DELETE', '/api/me', undefined, keyed);
    expect(gone.status).toBe(200);
    expect(gone.body.deleted).toBe(true);
    expect((await app.call('GET', '/api/me', { token })).status).toBe(401);
    expect(await send('me', 'DELETE', '/api/me', undefined, keyed)).toEqual(gone);
    // Logging in again with the same WeChat makes a new, empty account.
    const again = await wechatLogin(app, 'o-leaving');
    const me = await app.call('GET', '/api/me', { token: again });
    expect(me.status).toBe(200);
    expect(me.body.name).not.toBe('已注销用户');
  });

  it('refuses while an order is in progress, saying what to do', async () => {
    const { app, call } = buildTestApp(t.db);
    const project = await publishProject(t.db);
    await placeOrder(t.db, project.id, { resident: SEED.residentWang });
    const send = sendAs(app, { wang: await demoToken(call, 'resident') });
    const refused = await send('wang', 'DELETE', '/api/me');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/进行中的订单.*再注销/);
    expect((await send('wang', 'GET', '/api/me')).status).toBe(200);
  });
});
