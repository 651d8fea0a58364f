import { describe, expect, it } from 'vitest';
import { createWechatClient } from '../../functions/src/wechat/client';

function clientReplying(reply: unknown, status = 200) {
  const urls: string[] = [];
  const client = createWechatClient({
    appId: 'wx1',
    appSecret: 'secret',
    apiBase: 'https://wechat.invalid',
    fetch: async (url) => {
      urls.push(String(url));
      return new Response(JSON.stringify(reply), { status });
    },
  });
  return { client, urls };
}

describe('code2Session', () => {
  it('returns the openid and unionid and drops session_key', async () => {
    const { client, urls } = clientReplying({ openid: 'o1', unionid: 'u1', session_key: 'k' });
    expect(await client.code2Session('c1')).toEqual({ openid: 'o1', unionid: 'u1' });
    expect(urls[0]).toBe(
      'https://wechat.invalid/sns/jscode2session?appid=wx1&secret=secret&js_code=c1&grant_type=authorization_code',
    );
  });

  it.each([
    [{ errcode: 40029, errmsg: 'invalid code' }, 'unauthorized'],
    [{ errcode: 40163, errmsg: 'code been used' }, 'unauthorized'],
    [{ errcode: 45011, errmsg: 'api minute-quota reach limit' }, 'rate_limited'],
    [{ errcode: -1, errmsg: 'system error' }, 'wechat_unavailable'],
    [{}, 'wechat_unavailable'],
  ])('maps %j to %s', async (reply, code) => {
    const { client } = clientReplying(reply);
    await expect(client.code2Session('c')).rejects.toMatchObject({ code });
  });

  it('treats an HTTP failure as WeChat being unavailable', async () => {
    const { client } = clientReplying({}, 502);
    await expect(client.code2Session('c')).rejects.toMatchObject({ code: 'wechat_unavailable', status: 502 });
  });

  it.each([
    ['an HTML error page with status 200', '<html><body>502 Bad Gateway</body></html>'],
    ['an empty body', ''],
    ['JSON that is not an object', '"ok"'],
    ['JSON null', 'null'],
  ])('treats %s as WeChat being unavailable, never a 500', async (_case, text) => {
    const client = createWechatClient({
      appId: 'wx1',
      appSecret: 'secret',
      apiBase: 'https://wechat.invalid',
      fetch: async () => new Response(text, { status: 200, headers: { 'content-type': 'text/html' } }),
    });
    await expect(client.code2Session('c')).rejects.toMatchObject({ code: 'wechat_unavailable', status: 502 });
  });
});
