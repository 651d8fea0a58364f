import { idempotencyKey } from '@llb/shared';
import type { Context } from 'hono';
import { parseWith } from './parse';

/** The Idempotency-Key header every write carries; a resend with the same key replays the first answer. */
export function idempotencyKeyOf(c: Context): string {
  return parseWith(idempotencyKey, c.req.header('idempotency-key'));
}
