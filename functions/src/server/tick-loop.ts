import type { Db } from '../db/port';
import { runTick, type TickOptions } from '../use-cases/run-tick';

/** Runs the scheduled tick in-process (what Vercel Cron does in production); returns a stop function. */
export function startTickLoop(db: Db, seconds: number, options: TickOptions = {}): () => void {
  if (!(seconds > 0)) return () => {};
  const timer = setInterval(() => {
    runTick(db, new Date(), options).catch((error: unknown) => console.error('[tick]', error));
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
