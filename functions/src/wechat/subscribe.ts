// subscribeMessage.send: POST /cgi-bin/message/subscribe/send?access_token=…
// with { touser, template_id, page, data: { keyword: { value } }, miniprogram_state, lang }.
// Every answer is sorted into sent / retry (transient) / token (rejected token:
// refresh and try again) / refused (never retried).

export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state: 'formal' | 'trial' | 'developer';
  lang?: 'zh_CN';
}

export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; reason: string }
  | { kind: 'token'; reason: string }
  | { kind: 'refused'; reason: string };

/** Errors WeChat may answer differently a moment later: system busy, rate limited. */
const TRANSIENT = new Set([-1, 45009, 45011, 45047]);
/** The access token is expired or not (any longer) valid. */
const TOKEN = new Set([40001, 40014, 42001]);

/** What an errcode means for this delivery: 43101 (no credit / refused), 47003 (bad keyword) and the like are final. */
export function classifyErrcode(errcode: number, errmsg = ''): SendOutcome {
  if (errcode === 0) return { kind: 'sent' };
  const reason = `errcode ${errcode}${errmsg ? ` ${errmsg}` : ''}`.slice(0, 200);
  if (TOKEN.has(errcode)) return { kind: 'token', reason };
  if (TRANSIENT.has(errcode)) return { kind: 'retry', reason };
  if (errcode === 43101) return { kind: 'refused', reason: `refused: user has no subscription (${reason})` };
  return { kind: 'refused', reason };
}

export async function sendSubscribeMessage(
  options: { apiBase: string; fetch?: typeof fetch; timeoutMs?: number },
  accessToken: string,
  message: SubscribeMessage,
): Promise<SendOutcome> {
  const url = new URL('/cgi-bin/message/subscribe/send', options.apiBase);
  url.searchParams.set('access_token', accessToken);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error) {
    return { kind: 'retry', reason: `network: ${error instanceof Error ? error.message : String(error)}` };
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 500 || response.status === 429) {
    return { kind: 'retry', reason: `HTTP ${response.status}` };
  }
  let reply: { errcode?: number; errmsg?: string };
  try {
    reply = JSON.parse(text);
  } catch {
    return { kind: 'retry', reason: `HTTP ${response.status}, not JSON` };
  }
  if (!response.ok) return { kind: 'refused', reason: `HTTP ${response.status}` };
  return classifyErrcode(Number(reply.errcode ?? 0), reply.errmsg);
}
