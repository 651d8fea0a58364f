import {
  DEFAULT_WEIGHTS,
  type DispatchFactsRow,
  type DispatchWeights,
  decodeFacts,
  type RankedCandidate,
  rankCandidates,
  shouldJump,
} from '@llb/shared';
import type { Db } from '../db/port';
import { sendDueFor } from '../notifications/trigger';
import type { FileStore } from '../storage/port';

export interface TickOptions {
  weights?: DispatchWeights;
  /** How many of the best candidates are offered an order at once (first to accept wins). */
  topK?: number;
  /** Where uploads' bytes live: files of deleted accounts (注销) are removed there. */
  files?: FileStore;
}

export interface TickResult {
  autoConfirmed: number;
  expiredRedemptions: number;
  expiredKeys: number;
  expiredOffers: number;
  escalated: number;
  offersMade: number;
  /** Wish claims past their deadline, back on the list. */
  lapsedClaims: number;
  /** Needs whose photo checks never came back, sent to staff to judge. */
  uncheckedNeeds: number;
  /** Subscribe messages and SMS sent at the end of the tick (notifications/trigger.ts). */
  notificationsSent: number;
  /** Files of deleted accounts removed from storage. */
  erasedFiles: number;
  /** 四点半课堂 seats offered from a waitlist that ran out unconfirmed, and offers made. */
  expiredSessionOffers: number;
  sessionOffersMade: number;
  /** Children erased past their retention after their last term. */
  erasedChildren: number;
}

/**
 * The scheduled work (Vercel Cron, the servers' interval, tests with a chosen
 * clock): confirm, expire, escalate, then offer each open order without a live
 * offer to its best candidates. Safe to run twice at once: make_offers checks,
 * under the order's lock, that no live offer exists.
 */
export async function runTick(
  db: Db,
  now: Date = new Date(),
  options: TickOptions = {},
): Promise<TickResult> {
  const at = now.toISOString();
  const base = await db.rpc<{ autoConfirmed: number; expiredRedemptions: number; expiredKeys: number }>(
    'tick',
    { p_now: at },
  );
  const dispatch = await db.rpc<{ expiredOffers: number; escalated: number; needOffers: string[] }>(
    'tick_dispatch',
    {
      p_now: at,
    },
  );
  const needs = await db.rpc<{ lapsedClaims: number; uncheckedNeeds: number }>('tick_needs', { p_now: at });
  const sessions = await db.rpc<{
    expiredSessionOffers: number;
    sessionOffersMade: number;
    erasedChildren: number;
  }>('tick_sessions', { p_now: at });
  let offersMade = 0;
  for (const orderId of dispatch.needOffers) {
    offersMade += (await offerOrder(db, orderId, at, options)).made;
  }
  return {
    ...base,
    expiredOffers: dispatch.expiredOffers,
    escalated: dispatch.escalated,
    offersMade,
    lapsedClaims: needs.lapsedClaims,
    uncheckedNeeds: needs.uncheckedNeeds,
    ...sessions,
    notificationsSent: await sendDueFor(db, now),
    erasedFiles: options.files ? await eraseFiles(db, options.files) : 0,
  };
}

/**
 * 注销 removed the rows of a person's uploads and queued their files; remove those from
 * storage. Taken from the queue first: a failure here leaves a file without a row
 * (unreachable through the API), never a row without its file.
 */
async function eraseFiles(db: Db, files: FileStore): Promise<number> {
  const keys = await db.rpc<string[]>('take_file_erasures', { p_limit: 200 });
  if (keys.length > 0) await files.remove(keys);
  return keys.length;
}

/**
 * One order's offers: its candidates (public.dispatch_candidates), and when they are
 * so few that the SQL says so (jumpAtOrBelow), the order first jumps to its last
 * escalation step — largest bonus, whole street — so none of the few is spent on an
 * offer at no bonus (public.escalate_scarce_order), then candidates again; ranked,
 * and the best topK offered (public.make_offers). bench:dispatch drives this too.
 */
export async function offerOrder(
  db: Db,
  orderId: string,
  at: string,
  options: TickOptions = {},
): Promise<{ chosen: RankedCandidate[]; made: number; jumped: boolean }> {
  let row = await db.rpc<DispatchFactsRow | null>('dispatch_candidates', { p_order_id: orderId, p_now: at });
  let jumped = false;
  if (row && shouldJump(row)) {
    jumped = await db.rpc<boolean>('escalate_scarce_order', { p_order_id: orderId, p_now: at });
    if (jumped)
      row = await db.rpc<DispatchFactsRow | null>('dispatch_candidates', { p_order_id: orderId, p_now: at });
  }
  if (!row) return { chosen: [], made: 0, jumped };
  const chosen = rankCandidates(decodeFacts(row), options.weights ?? DEFAULT_WEIGHTS).slice(
    0,
    options.topK ?? 1,
  );
  if (chosen.length === 0) return { chosen, made: 0, jumped };
  const made = await db.rpc<number>('make_offers', { p_order_id: orderId, p_offers: chosen, p_now: at });
  return { chosen, made, jumped };
}
