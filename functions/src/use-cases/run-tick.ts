import type { Db } from '../db/port';

export interface TickResult {
  autoConfirmed: number;
}

/** The scheduled work (Vercel Cron, the dev server's interval, tests with a chosen clock). Safe to run twice at once. */
export function runTick(db: Db, now: Date = new Date()): Promise<TickResult> {
  return db.rpc<TickResult>('tick', { p_now: now.toISOString() });
}
