import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { type FakeWechat, startFakeWechat } from '../support/fake-wechat';
import { freePort } from '../support/free-port';

let t: TestDatabase;
let wechat: FakeWechat;
beforeAll(async () => {
  t = await createTestDatabase();
  wechat = await startFakeWechat();
});
afterAll(async () => {
  await wechat.close();
  await t.close();
});
beforeEach(() => {
  wechat.requests.length = 0;
});

const wechatEnv = () => ({
  WECHAT_APP_ID: 'wx-test-app',
  WECHAT_APP_SECRET: 'app-secret',
  WECHAT_API_BASE: wechat.url,
});
const userCount = async () => (await t.admin.query('select count(*)::int as n from public.users')).rows[0].n;

describe('POST /api/auth/wechat', () => {
  it('exchanges the code with WeChat, creates the user once and never returns session_key', async () => {
    wechat.codes.set('code-1', { openid: 'o-wx-1', session_key: 'SECRET-SESSION-KEY' });
    wechat.codes.set('code-2', { openid: 'o-wx-1', session_key: 'SECRET-SESSION-KEY-2' });
    const { call } = buildTestApp(t.db, wechatEnv());
    const first = await call('POST', '/api/auth/wechat', { body: { code: 'code-1' } });
    const second = await call('POST', '/api/auth/wechat', { body: { code: 'code-2' } });

    expect(first.status).toBe(200);
    expect(JSON.stringify(first.body)).not.toContain('SECRET-SESSION-KEY');
    expect(second.body.session.userId).toBe(first.body.session.userId);
    expect(Object.fromEntries(wechat.requests[0] ?? [])).toEqual({
      appid: 'wx-test-app',
      secret: 'app-secret',
      js_code: 'code-1',
      grant_type: 'authorization_code',
    });
    const me = await call('GET', '/api/me', { token: first.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: first.body.session.userId, home: null, roles: [] });
  });

  it('answers 401 in Chinese for a code WeChat rejects, creating nobody', async () => {
    const { call } = buildTestApp(t.db, wechatEnv());
    const before = await userCount();
    const { status, body } = await call('POST', '/api/auth/wechat', { body: { code: 'expired-code' } });
    expect(status).toBe(401);
    expect(body.error).toEqual({ code: 'unauthorized', message: '微信登录凭证已失效，请重新登录' });
    expect(await userCount()).toBe(before);
  });

  it('answers 502 when WeChat cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { call } = buildTestApp(t.db, { ...wechatEnv(), WECHAT_API_BASE: closed });
    const { status, body } = await call('POST', '/api/auth/wechat', { body: { code: 'any' } });
    expect(status).toBe(502);
    expect(body.error.code).toBe('wechat_unavailable');
  });

  it('answers 502 in Chinese when WeChat replies 200 with an HTML page instead of JSON', async () => {
    wechat.rawReplies.set('html-code', '<!DOCTYPE html><html><body>系统繁忙</body></html>');
    const { call } = buildTestApp(t.db, wechatEnv());
    const before = await userCount();
    const { status, body } = await call('POST', '/api/auth/wechat', { body: { code: 'html-code' } });
    expect(status).toBe(502);
    expect(body.error).toEqual({ code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试' });
    expect(await userCount()).toBe(before);
  });

  it.each([
    ['no body', undefined, '请求内容格式不正确'],
    ['an empty code', JSON.stringify({ code: '' }), '缺少微信登录凭证'],
    ['a number for a code', JSON.stringify({ code: 42 }), '缺少微信登录凭证'],
    ['a code too long', JSON.stringify({ code: 'x'.repeat(200) }), '微信登录凭证格式不正确'],
    ['malformed JSON', '{"code":', '请求内容格式不正确'],
  ])('answers 400 in Chinese for %s, without calling WeChat', async (_case, raw, message) => {
    const { call } = buildTestApp(t.db, wechatEnv());
    const { status, body } = await call('POST', '/api/auth/wechat', { raw: raw ?? '' });
    expect(status).toBe(400);
    expect(body.error).toEqual({ code: 'invalid_input', message });
    expect(wechat.requests).toHaveLength(0);
  });
});

describe('POST /api/auth/dev', () => {
  it('logs in as a demo identity when WeChat is not configured', async () => {
    const { call } = buildTestApp(t.db);
    expect((await call('GET', '/api/auth/options')).body).toEqual({ wechat: false, demo: true });
    const { status, body } = await call('POST', '/api/auth/dev', { body: { identity: 'resident' } });
    expect(status).toBe(200);
    expect(body.session.roles).toEqual([
      { role: 'resident', communityId: 'c0000000-0000-4000-8000-000000000001', streetId: null },
    ]);
  });

  it('does not exist in production, even without WeChat credentials', async () => {
    const { call } = buildTestApp(t.db, { NODE_ENV: 'production' });
    expect((await call('POST', '/api/auth/dev', { body: { identity: 'resident' } })).status).toBe(404);
    expect((await call('GET', '/api/auth/demo-identities')).status).toBe(404);
    expect((await call('GET', '/api/auth/options')).body).toEqual({ wechat: false, demo: false });
  });

  it('does not exist when WeChat login is configured', async () => {
    const { call } = buildTestApp(t.db, wechatEnv());
    expect((await call('POST', '/api/auth/dev', { body: { identity: 'resident' } })).status).toBe(404);
  });

  it('answers 404 in Chinese for an identity that is not a demo one', async () => {
    const { call } = buildTestApp(t.db);
    const { status, body } = await call('POST', '/api/auth/dev', { body: { identity: 'nobody' } });
    expect(status).toBe(404);
    expect(body.error.message).toBe('没有这个体验身份');
  });

  it('answers 400 for a malformed identity', async () => {
    const { call } = buildTestApp(t.db);
    const { status, body } = await call('POST', '/api/auth/dev', {
      body: { identity: "x'; drop table users" },
    });
    expect(status).toBe(400);
    expect(body.error.message).toBe('体验身份格式不正确');
  });
});
