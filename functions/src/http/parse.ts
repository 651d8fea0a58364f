import { AppError } from '@llb/shared';
import type { Context } from 'hono';
import type { z } from 'zod';

/** Parses input with a shared zod schema; the first problem becomes a 400 with its Chinese message. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new AppError('invalid_input', result.error.issues[0]?.message);
}

/** Reads a JSON body; a missing or malformed body is the user's mistake, never a 500. */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError('invalid_input', '请求内容格式不正确');
  }
  return parseWith(schema, body);
}
