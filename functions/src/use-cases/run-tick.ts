import {
  DEFAULT_WEIGHTS,
  type DispatchFactsRow,
  type DispatchWeights,
  decodeFacts,
  rankCandidates,
} from '@llb/shared';
import type { Db } from '../db/port';

export interface TickOptions {
  weights?: DispatchWeights;
  /** How many of the best candidates are offered an order at once (first to accept wins). */
  topK?: number;
}

export interface TickResult {
  autoConfirmed: number;
  expiredRedemptions: number;
  expiredKeys: number;
  expiredOffers: number;
  escalated: number;
  offersMade: number;
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
  let offersMade = 0;
  for (const orderId of dispatch.needOffers) {
    const row = await db.rpc<DispatchFactsRow | null>('dispatch_candidates', {
      p_order_id: orderId,
      p_now: at,
    });
    if (!row) continue;
    const chosen = rankCandidates(decodeFacts(row), options.weights ?? DEFAULT_WEIGHTS).slice(
      0,
      options.topK ?? 1,
    );
    if (chosen.length === 0) continue;
    offersMade += await db.rpc<number>('make_offers', {
      p_order_id: orderId,
      p_offers: chosen,
      p_now: at,
    });
  }
  return { ...base, expiredOffers: dispatch.expiredOffers, escalated: dispatch.escalated, offersMade };
}
