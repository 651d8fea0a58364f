import type { Health } from '@llb/shared';
import type { Db } from '../db/port';

/** Healthy only when a real query made the round trip to the database. */
export async function checkHealth(db: Db): Promise<Health> {
  try {
    const reply = await db.rpc<{ ok?: boolean }>('health_check');
    return { ok: reply?.ok === true, db: reply?.ok === true ? 'up' : 'down' };
  } catch {
    return { ok: false, db: 'down' };
  }
}
