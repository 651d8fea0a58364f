// When the sender runs: right after each successful write on a Node server
// (without holding the response), and in every tick (runTick → sendDueFor).
// On Vercel a background promise must not outlive the response, so the
// after-write run goes through the platform's waitUntil when there is one and
// is otherwise left to the cron tick.
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/port';
import type { AppDeps, AppEnv } from '../http/env';
import { type SenderDeps, type SendSummary, sendDue } from './sender';

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface NotificationRunner {
  /** Sends what is due now, awaited (the tick). */
  run(now?: Date): Promise<SendSummary>;
  /** Starts a run without waiting; runs asked for while one is going coalesce into one more after it. */
  kick(): Promise<void>;
  /** Whether any outside channel is configured (otherwise only the tick runs, to mark rows skipped). */
  active: boolean;
}

const runners = new WeakMap<Db, NotificationRunner>();

export function createRunner(deps: SenderDeps): NotificationRunner {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        await sendDue(deps, new Date());
      } catch (error) {
        console.error('[notify]', error instanceof Error ? error.message : error);
      }
    } while (again);
  };
  return {
    active: Boolean(
      (deps.wechat && deps.notifications.wechatTemplates) || deps.notifications.sms || deps.sms,
    ),
    run: (now) => sendDue(deps, now),
    kick() {
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => {
        running = null;
      });
      return running;
    },
  };
}

/** The runner of the app built on this database (the one the tick uses). */
export function registerRunner(deps: AppDeps): NotificationRunner {
  const runner = createRunner({
    db: deps.db,
    wechat: deps.config.wechat,
    notifications: deps.config.notifications,
  });
  runners.set(deps.db, runner);
  return runner;
}

/** What runTick calls last: sends what is due with the app's runner; 0 when no app was built on this db. */
export async function sendDueFor(db: Db, now: Date): Promise<number> {
  const runner = runners.get(db);
  if (!runner) return 0;
  try {
    return (await runner.run(now)).sent;
  } catch (error) {
    // Sending must never fail the tick's own work, which is already committed.
    console.error('[notify]', error instanceof Error ? error.message : error);
    return 0;
  }
}

interface VercelRequestContext {
  get?: () => { waitUntil?: (promise: Promise<unknown>) => void } | undefined;
}

/** The serverless platform's waitUntil for this request, if there is one. */
function platformWaitUntil(
  c: Parameters<MiddlewareHandler<AppEnv>>[0],
): ((p: Promise<unknown>) => void) | null {
  try {
    const ctx = c.executionCtx;
    if (ctx && typeof ctx.waitUntil === 'function') return (p) => ctx.waitUntil(p);
  } catch {
    // Hono throws when there is no execution context (plain Node).
  }
  const vercel = (globalThis as Record<symbol, VercelRequestContext | undefined>)[
    Symbol.for('@vercel/request-context')
  ];
  const waitUntil = vercel?.get?.()?.waitUntil;
  return typeof waitUntil === 'function' ? waitUntil : null;
}

/** Hono middleware: after a successful write, send what it may have queued, without delaying the answer. */
export function notifyAfterWrites(deps: AppDeps): MiddlewareHandler<AppEnv> {
  const runner = registerRunner(deps);
  const serverless = Boolean(process.env.VERCEL);
  return async (c, next) => {
    await next();
    if (!runner.active || !WRITES.has(c.req.method) || c.error || c.res.status >= 400) return;
    const waitUntil = platformWaitUntil(c);
    if (waitUntil) waitUntil(runner.kick());
    else if (!serverless) void runner.kick();
  };
}
