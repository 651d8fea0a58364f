import type { Context } from 'hono';
import { z } from 'zod';
import { parseWith } from './parse';

const MESSAGES = {
  communityId: '社区编号不正确',
  orderId: '订单编号不正确',
  projectId: '项目编号不正确',
} as const;

/** A uuid path parameter; a malformed one is a 400 naming what was wrong, never a database error. */
export function uuidParam(c: Context, name: keyof typeof MESSAGES): string {
  return parseWith(z.uuid({ error: MESSAGES[name] }), c.req.param(name));
}
