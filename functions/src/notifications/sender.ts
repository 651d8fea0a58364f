// Sends the outbox's due deliveries: WeChat subscribe messages and SMS. Rows
// are claimed in Postgres (claim_deliveries: for update skip locked, a lease,
// the attempt counted, a WeChat credit spent), sent, and finished
// (finish_delivery: sent / retry later with exponential backoff / failed with
// its reason). Two senders at once never get the same row.
import type { WechatConfig } from '../config';
import type { Db } from '../db/port';
import type { SmsProvider } from '../sms/port';
import { createTencentSms } from '../sms/tencent';
import { AccessTokenError, type AccessTokenSource, createAccessTokenSource } from '../wechat/access-token';
import { type SendOutcome, sendSubscribeMessage } from '../wechat/subscribe';
import type { NotificationConfig } from './config';
import { maskOpenid, maskPhone, scrubPhones } from './mask';
import {
  type NotificationFacts,
  smsParams,
  subscribeData,
  subscribePage,
  templateIdsByEvent,
  type WechatTemplate,
} from './templates';

export interface SenderDeps {
  db: Db;
  /** WeChat app credentials and API origin; null: WeChat deliveries are skipped. */
  wechat: WechatConfig | null;
  notifications: NotificationConfig;
  /** The SMS port; default: built from notifications.sms (null: SMS deliveries are skipped). */
  sms?: SmsProvider | null;
  /** Default: the database-backed stable token of wechat/access-token.ts. */
  tokens?: AccessTokenSource;
  fetch?: typeof fetch;
  /** Receives one line per delivery outcome (numbers masked); default: failures to console.warn. */
  log?: (line: string) => void;
  /** Rows claimed per round (default 20). */
  batchSize?: number;
}

export interface SendSummary {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

interface ClaimedRow extends NotificationFacts {
  id: number;
  address: string;
  attempts: number;
  templateId: string;
}

type Channel = 'wechat' | 'sms';

const LEASE_SECONDS = 60;
const MAX_ROUNDS = 50;

// Built once per deps object: the token source keeps one in-flight read per instance.
const resolved = new WeakMap<SenderDeps, { tokens: AccessTokenSource | null; sms: SmsProvider | null }>();

function resolve(deps: SenderDeps) {
  let r = resolved.get(deps);
  if (!r) {
    const sms =
      deps.sms !== undefined
        ? deps.sms
        : deps.notifications.sms
          ? createTencentSms({ ...deps.notifications.sms, fetch: deps.fetch })
          : null;
    const tokens =
      deps.tokens ??
      (deps.wechat ? createAccessTokenSource({ db: deps.db, ...deps.wechat, fetch: deps.fetch }) : null);
    r = { tokens, sms };
    resolved.set(deps, r);
  }
  return r;
}

/** Seconds before the next try after `attempts` tries: base, 2×base, 4×base, … at most an hour. */
export function backoffSeconds(attempts: number, baseSeconds: number): number {
  return Math.min(3600, baseSeconds * 2 ** Math.max(0, attempts - 1));
}

/** Claims and sends everything due at `now` on both channels; returns what happened. */
export async function sendDue(deps: SenderDeps, now: Date = new Date()): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, retried: 0, failed: 0, skipped: 0 };
  const { tokens, sms } = resolve(deps);
  const wechatTemplates = deps.wechat && tokens ? deps.notifications.wechatTemplates : null;
  const smsTemplates = sms ? (deps.notifications.sms?.templates ?? null) : null;
  await drain(
    deps,
    'wechat',
    now,
    wechatTemplates ? templateIdsByEvent(wechatTemplates.events) : null,
    summary,
    (row) => sendWechat(deps, tokens as AccessTokenSource, row),
  );
  await drain(deps, 'sms', now, smsTemplates ? templateIdsByEvent(smsTemplates) : null, summary, (row) =>
    sendSms(deps, sms as SmsProvider, row),
  );
  return summary;
}

async function drain(
  deps: SenderDeps,
  channel: Channel,
  now: Date,
  templates: Record<string, string> | null,
  summary: SendSummary,
  send: (row: ClaimedRow) => Promise<SendOutcome>,
): Promise<void> {
  const limit = deps.batchSize ?? 20;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const batch = await deps.db.rpc<{ claimed: ClaimedRow[]; skipped: number }>('claim_deliveries', {
      p_channel: channel,
      p_limit: limit,
      p_now: now.toISOString(),
      p_templates: templates,
      p_lease_seconds: LEASE_SECONDS,
    });
    summary.skipped += batch.skipped;
    await Promise.all(batch.claimed.map((row) => deliver(deps, channel, now, row, summary, send)));
    if (batch.claimed.length + batch.skipped < limit) return;
  }
}

async function deliver(
  deps: SenderDeps,
  channel: Channel,
  now: Date,
  row: ClaimedRow,
  summary: SendSummary,
  send: (row: ClaimedRow) => Promise<SendOutcome>,
): Promise<void> {
  let outcome: SendOutcome;
  try {
    outcome = await send(row);
  } catch (error) {
    outcome = { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
  }
  const who = channel === 'sms' ? maskPhone(row.address) : maskOpenid(row.address);
  const { maxAttempts, retryBaseSeconds } = deps.notifications;
  let result: 'sent' | 'retry' | 'failed';
  let error: string | null = null;
  let retryAt: string | null = null;
  if (outcome.kind === 'sent') {
    result = 'sent';
  } else if (outcome.kind === 'refused') {
    result = 'failed';
    error = outcome.reason;
  } else if (row.attempts >= maxAttempts) {
    result = 'failed';
    error = `gave up after ${row.attempts} tries: ${outcome.reason}`;
  } else {
    result = 'retry';
    error = outcome.reason;
    retryAt = new Date(now.getTime() + backoffSeconds(row.attempts, retryBaseSeconds) * 1000).toISOString();
  }
  if (error) error = scrubPhones(error).slice(0, 300);
  await deps.db.rpc<boolean>('finish_delivery', {
    p_id: row.id,
    p_attempts: row.attempts,
    p_outcome: result,
    p_error: error,
    p_retry_at: retryAt,
  });
  const line = `[notify] ${channel} #${row.id} ${row.event} to ${who}: ${result}${error ? ` (${error})` : ''}${
    retryAt ? ` next try ${retryAt}` : ''
  }`;
  if (deps.log) deps.log(line);
  else if (result === 'failed') console.warn(line);
  if (result === 'sent') summary.sent++;
  else if (result === 'retry') summary.retried++;
  else summary.failed++;
}

function templateFor(deps: SenderDeps, row: ClaimedRow): WechatTemplate | null {
  const events = deps.notifications.wechatTemplates?.events ?? {};
  const byEvent = events[row.event];
  if (byEvent && byEvent.templateId === row.templateId) return byEvent;
  return Object.values(events).find((t) => t.templateId === row.templateId) ?? null;
}

async function sendWechat(
  deps: SenderDeps,
  tokens: AccessTokenSource,
  row: ClaimedRow,
): Promise<SendOutcome> {
  const template = templateFor(deps, row);
  if (!template) return { kind: 'refused', reason: `template ${row.templateId} is no longer configured` };
  const page = subscribePage(template, row);
  const message = {
    touser: row.address,
    template_id: row.templateId,
    ...(page ? { page } : {}),
    data: subscribeData(template, row),
    miniprogram_state: deps.notifications.wechatTemplates?.state ?? 'formal',
    lang: 'zh_CN' as const,
  };
  const api = { apiBase: (deps.wechat as WechatConfig).apiBase, fetch: deps.fetch };
  let token: string;
  try {
    token = await tokens.get();
  } catch (error) {
    if (error instanceof AccessTokenError) return { kind: 'retry', reason: error.message };
    throw error;
  }
  let outcome = await sendSubscribeMessage(api, token, message);
  if (outcome.kind === 'token') {
    // The cached token was rejected: replace it (once, for every instance) and try again now.
    try {
      token = await tokens.get(token);
    } catch (error) {
      if (error instanceof AccessTokenError) return { kind: 'retry', reason: error.message };
      throw error;
    }
    outcome = await sendSubscribeMessage(api, token, message);
  }
  return outcome.kind === 'token' ? { kind: 'retry', reason: outcome.reason } : outcome;
}

async function sendSms(deps: SenderDeps, sms: SmsProvider, row: ClaimedRow): Promise<SendOutcome> {
  const spec = deps.notifications.sms?.templates[row.event];
  if (!spec) return { kind: 'refused', reason: `no SMS template for ${row.event}` };
  return sms.send(row.address, row.templateId, smsParams(spec, row));
}
