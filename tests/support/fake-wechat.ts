import { createServer, type Server } from 'node:http';

export interface FakeWechat {
  url: string;
  /** Query strings of the code2session requests received, in order. */
  requests: URLSearchParams[];
  /** code → reply; unknown codes get WeChat's 40029 invalid code. */
  codes: Map<string, Record<string, unknown>>;
  /** code → a reply sent as is, status 200 and text/html (a gateway's error page, say). */
  rawReplies: Map<string, string>;
  /** More WeChat APIs by path: each answers the request's URL and body with a JSON reply. */
  routes: Map<string, (url: URL, body: string) => unknown>;
  close(): Promise<void>;
}

/** A stand-in for api.weixin.qq.com on 127.0.0.1, answering jscode2session as WeChat does. */
export async function startFakeWechat(): Promise<FakeWechat> {
  const requests: URLSearchParams[] = [];
  const codes = new Map<string, Record<string, unknown>>();
  const rawReplies = new Map<string, string>();
  const routes = new Map<string, (url: URL, body: string) => unknown>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('content-type', 'application/json');
    const route = routes.get(url.pathname);
    if (route) {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => res.end(JSON.stringify(route(url, body))));
      return;
    }
    if (url.pathname !== '/sns/jscode2session') {
      res.statusCode = 404;
      res.end('{}');
      return;
    }
    requests.push(url.searchParams);
    const raw = rawReplies.get(url.searchParams.get('js_code') ?? '');
    if (raw !== undefined) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(raw);
      return;
    }
    const reply = codes.get(url.searchParams.get('js_code') ?? '') ?? {
      errcode: 40029,
      errmsg: 'invalid code',
    };
    res.end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    codes,
    rawReplies,
    routes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface FakePhoneNumbers {
  /** Bodies of the stable_token requests received, in order. */
  tokenRequests: Record<string, unknown>[];
  /** phone code → the number WeChat verified (unknown codes get 40029). */
  phones: Map<string, string>;
  /** The access_token each getuserphonenumber request carried. */
  tokensUsed: string[];
}

/** Adds WeChat's stable_token and getuserphonenumber to a fake WeChat, as they answer. */
export function fakePhoneNumbers(fake: FakeWechat, appId: string): FakePhoneNumbers {
  const state: FakePhoneNumbers = { tokenRequests: [], phones: new Map(), tokensUsed: [] };
  fake.routes.set('/cgi-bin/stable_token', (_url, body) => {
    const request = JSON.parse(body) as Record<string, unknown>;
    state.tokenRequests.push(request);
    if (request.grant_type !== 'client_credential' || request.appid !== appId) {
      return { errcode: 40013, errmsg: 'invalid appid' };
    }
    return { access_token: `token-${state.tokenRequests.length}`, expires_in: 7200 };
  });
  fake.routes.set('/wxa/business/getuserphonenumber', (url, body) => {
    const token = url.searchParams.get('access_token') ?? '';
    state.tokensUsed.push(token);
    if (!token.startsWith('token-')) return { errcode: 40001, errmsg: 'invalid credential' };
    const phone = state.phones.get((JSON.parse(body) as { code?: string }).code ?? '');
    if (!phone) return { errcode: 40029, errmsg: 'invalid code' };
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: appId },
      },
    };
  });
  return state;
}

export interface FakeSubscribeMessages {
  /** Bodies of the stable_token requests received, in order. */
  tokenRequests: Record<string, unknown>[];
  /** Every subscribe/send request, with the token it carried and when it arrived (performance.now()). */
  received: { body: Record<string, unknown>; token: string; at: number }[];
  /** Replies to give the next sends instead of success, first first (e.g. { errcode: -1 }, { errcode: 43101 }). */
  failures: Record<string, unknown>[];
  /** The token stable_token hands out now (normal mode keeps it; force_refresh replaces it). */
  currentToken(): string | null;
  /** Makes the current token invalid, as when it expires early: sends with it get 40001. */
  revokeToken(): void;
  /** The messages that were accepted (errcode 0). */
  delivered(): Record<string, unknown>[];
}

/** Adds WeChat's stable_token and subscribeMessage.send to a fake WeChat, with injectable failures. */
export function fakeSubscribeMessages(
  fake: FakeWechat,
  appId: string,
  secret: string,
): FakeSubscribeMessages {
  let token: string | null = null;
  let issued = 0;
  const revoked = new Set<string>();
  const okIds = new Set<number>();
  const state: FakeSubscribeMessages = {
    tokenRequests: [],
    received: [],
    failures: [],
    currentToken: () => token,
    revokeToken: () => {
      if (token) revoked.add(token);
    },
    delivered: () => state.received.filter((_, i) => okIds.has(i)).map((r) => r.body),
  };
  fake.routes.set('/cgi-bin/stable_token', (_url, body) => {
    const request = JSON.parse(body) as Record<string, unknown>;
    state.tokenRequests.push(request);
    if (request.grant_type !== 'client_credential' || request.appid !== appId) {
      return { errcode: 40013, errmsg: 'invalid appid' };
    }
    if (request.secret !== secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (!token || request.force_refresh === true) {
      issued += 1;
      token = `stable-${issued}`;
    }
    return { access_token: token, expires_in: 7200 };
  });
  fake.routes.set('/cgi-bin/message/subscribe/send', (url, body) => {
    const used = url.searchParams.get('access_token') ?? '';
    const index = state.received.push({ body: JSON.parse(body), token: used, at: performance.now() }) - 1;
    if (used !== token || revoked.has(used)) return { errcode: 40001, errmsg: 'invalid credential' };
    const failure = state.failures.shift();
    if (failure) return failure;
    okIds.add(index);
    return { errcode: 0, errmsg: 'ok' };
  });
  return state;
}

export interface FakeContentSecurity {
  /** Bodies of the msg_sec_check requests received, with the token each carried. */
  textChecks: { body: Record<string, unknown>; token: string }[];
  /** Bodies of the media_check_async requests received (media_url is the link to fetch), with the trace id answered. */
  mediaChecks: { body: Record<string, unknown>; token: string; traceId: string }[];
  /** openids WeChat won't judge for (61010: the user hasn't used the mini-program in the last 2 hours). */
  inactive: Set<string>;
  /** The verdict for a text; by default risky when it says 违规, review when it says 复核, else pass. */
  suggest: (content: string) => 'pass' | 'review' | 'risky';
}

/**
 * Adds WeChat's content security to a fake WeChat: msgSecCheck v2 (synchronous verdict)
 * and mediaCheckAsync (answers a trace id; the test pushes the verdict itself), and a
 * stable_token if no other fake serves one.
 */
export function fakeContentSecurity(fake: FakeWechat): FakeContentSecurity {
  const state: FakeContentSecurity = {
    textChecks: [],
    mediaChecks: [],
    inactive: new Set(),
    suggest: (content) => (content.includes('违规') ? 'risky' : content.includes('复核') ? 'review' : 'pass'),
  };
  if (!fake.routes.has('/cgi-bin/stable_token')) {
    fake.routes.set('/cgi-bin/stable_token', () => ({ access_token: 'cs-token', expires_in: 7200 }));
  }
  fake.routes.set('/wxa/msg_sec_check', (url, body) => {
    const request = JSON.parse(body) as Record<string, unknown>;
    const token = url.searchParams.get('access_token') ?? '';
    state.textChecks.push({ body: request, token });
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    if (request.version !== 2) return { errcode: 47001, errmsg: 'data format error' };
    if (state.inactive.has(String(request.openid))) return { errcode: 61010, errmsg: 'user is inactive' };
    const suggest = state.suggest(String(request.content ?? ''));
    const label = suggest === 'pass' ? 100 : 20001;
    return {
      errcode: 0,
      errmsg: 'ok',
      trace_id: `text-${state.textChecks.length}`,
      result: { suggest, label },
      detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
    };
  });
  fake.routes.set('/wxa/media_check_async', (url, body) => {
    const request = JSON.parse(body) as Record<string, unknown>;
    const token = url.searchParams.get('access_token') ?? '';
    const traceId = `media-${state.mediaChecks.length + 1}-${Date.now().toString(36)}`;
    state.mediaChecks.push({ body: request, token, traceId });
    if (!token) return { errcode: 41001, errmsg: 'access_token missing' };
    return { errcode: 0, errmsg: 'ok', trace_id: traceId };
  });
  return state;
}
