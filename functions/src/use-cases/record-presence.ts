import { AppError, type ErrorCode, type OrderView, type PresenceInput } from '@llb/shared';
import type { Db } from '../db/port';

type PresenceReply = OrderView | { error: { code: ErrorCode; message: string } };

/**
 * Check-in or check-out. A failed proof comes back as a value, not a raised
 * error, because the database keeps count of failures to stop code guessing.
 */
export async function recordPresence(
  db: Db,
  actor: string,
  orderId: string,
  proof: PresenceInput,
  key: string,
  action: 'check_in' | 'check_out',
): Promise<OrderView> {
  const reply = await db.rpc<PresenceReply>(action, {
    p_actor: actor,
    p_order_id: orderId,
    p_proof: proof,
    p_key: key,
  });
  if ('error' in reply) throw new AppError(reply.error.code, reply.error.message);
  return reply;
}
