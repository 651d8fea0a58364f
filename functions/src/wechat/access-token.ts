// The WeChat access token from the stable-token API
// (POST /cgi-bin/stable_token), cached in Postgres (public.wechat_access_tokens)
// so every serverless instance shares one token, refreshed before it expires by
// one of them at a time (a short refresh lease in read_access_token). A token
// WeChat rejects (40001) is replaced with force_refresh.
import type { Db } from '../db/port';

export interface AccessTokenOptions {
  db: Db;
  appId: string;
  appSecret: string;
  apiBase: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Refresh when the cached token has less than this left (default 60 s; WeChat rotates 5 min before expiry). */
  refreshMarginSeconds?: number;
  /** How long one refresher holds the lease (default 10 s). */
  leaseSeconds?: number;
  now?: () => Date;
}

export interface AccessTokenSource {
  /** A valid token; pass the token WeChat just rejected (40001) to get a new one. */
  get(rejected?: string): Promise<string>;
}

/** A token could not be had now (WeChat down, a refresh elsewhere took too long): try again later. */
export class AccessTokenError extends Error {
  override name = 'AccessTokenError';
}

interface TokenRead {
  token: string | null;
  expiresAt: string | null;
  refresh: boolean;
  force: boolean;
}

interface StableTokenReply {
  access_token?: string;
  expires_in?: number;
  errcode?: number;
  errmsg?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createAccessTokenSource(options: AccessTokenOptions): AccessTokenSource {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const margin = options.refreshMarginSeconds ?? 60;
  const lease = options.leaseSeconds ?? 10;
  // One in-flight read per instance: concurrent senders here share it.
  let inflight: Promise<string> | null = null;

  async function fetchStableToken(force: boolean): Promise<{ token: string; expiresIn: number }> {
    let response: Response;
    try {
      response = await doFetch(new URL('/cgi-bin/stable_token', options.apiBase), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: options.appId,
          secret: options.appSecret,
          force_refresh: force,
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new AccessTokenError(
        `stable_token unreachable: ${error instanceof Error ? error.message : error}`,
      );
    }
    const text = await response.text();
    let reply: StableTokenReply;
    try {
      reply = JSON.parse(text) as StableTokenReply;
    } catch {
      throw new AccessTokenError(`stable_token answered HTTP ${response.status} without JSON`);
    }
    if (!response.ok || reply.errcode || !reply.access_token) {
      throw new AccessTokenError(
        `stable_token refused: ${reply.errcode ?? response.status} ${reply.errmsg ?? ''}`.trim(),
      );
    }
    return { token: reply.access_token, expiresIn: Number(reply.expires_in) || 7200 };
  }

  async function read(rejected: string | null): Promise<string> {
    for (let round = 0; round < 40; round++) {
      const at = now();
      const row = await options.db.rpc<TokenRead>('read_access_token', {
        p_app_id: options.appId,
        p_now: at.toISOString(),
        p_valid_until: new Date(at.getTime() + margin * 1000).toISOString(),
        p_lease_seconds: lease,
        p_rejected: rejected,
      });
      if (row.token) return row.token;
      if (row.refresh) {
        const fresh = await fetchStableToken(row.force);
        await options.db.rpc<null>('store_access_token', {
          p_app_id: options.appId,
          p_token: fresh.token,
          p_expires_at: new Date(now().getTime() + fresh.expiresIn * 1000).toISOString(),
        });
        return fresh.token;
      }
      // Another instance is refreshing: ask again shortly.
      await sleep(Math.min(50 * (round + 1), 250));
    }
    throw new AccessTokenError('access token refresh by another instance did not finish');
  }

  return {
    get(rejected) {
      if (rejected) return read(rejected);
      if (!inflight) {
        inflight = read(null).finally(() => {
          inflight = null;
        });
      }
      return inflight;
    },
  };
}

// One token source per database (the app is built once per process); the token
// itself is cached in Postgres and shared with the subscribe-message sender.
const tokenSources = new WeakMap<Db, AccessTokenSource>();
export function accessTokenFor(
  db: Db,
  wechat: { appId: string; appSecret: string; apiBase: string },
): AccessTokenSource {
  let source = tokenSources.get(db);
  if (!source) {
    source = createAccessTokenSource({ db, ...wechat });
    tokenSources.set(db, source);
  }
  return source;
}
