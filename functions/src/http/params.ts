import type { Context } from 'hono';
import { z } from 'zod';
import { parseWith } from './parse';

const id = z.uuid({ error: '编号格式不正确' });

/** A uuid path parameter; a malformed one is a 400, not a database error. */
export function uuidParam(c: Context, name: string): string {
  return parseWith(id, c.req.param(name));
}
