import type { Context } from 'hono';
import { z } from 'zod';
import { parseWith } from './parse';

const MESSAGES = {
  communityId: '社区编号不正确',
  orderId: '订单编号不正确',
  projectId: '项目编号不正确',
  goodsId: '物品编号不正确',
  redemptionId: '兑换编号不正确',
  userId: '人员编号不正确',
  offerId: '派单编号不正确',
  residentId: '居民编号不正确',
  certificateId: '证明编号不正确',
  uploadId: '照片编号不正确',
  needId: '求助编号不正确',
  caseId: '事务编号不正确',
  wishId: '心愿编号不正确',
  occurrenceId: '课次编号不正确',
  childId: '孩子编号不正确',
  bookingId: '报名编号不正确',
} as const;

/** A uuid path parameter; a malformed one is a 400 naming what was wrong, never a database error. */
export function uuidParam(c: Context, name: keyof typeof MESSAGES): string {
  return parseWith(z.uuid({ error: MESSAGES[name] }), c.req.param(name));
}

/** A ledger transfer's numeric id. */
export function transferIdParam(c: Context): number {
  return parseWith(
    z.coerce.number({ error: '记录编号不正确' }).int().positive({ error: '记录编号不正确' }),
    c.req.param('transferId'),
  );
}

/** A service record's numeric id. */
export function recordIdParam(c: Context): number {
  return parseWith(
    z.coerce
      .number({ error: '记录编号不正确' })
      .int()
      .positive({ error: '记录编号不正确' })
      .max(2 ** 53 - 1),
    c.req.param('recordId'),
  );
}
