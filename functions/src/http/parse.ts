import {
  AppError,
  type BodyOf,
  type BodyRoute,
  fieldLabel,
  type QueryOf,
  type QueryRoute,
  REQUESTS,
} from '@llb/shared';
import type { Context } from 'hono';
import type { z } from 'zod';

// C0 controls and DEL, except tab, line feed and carriage return (multi-line text).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// A UTF-16 half without its other half: not text, and Postgres can't store it faithfully.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (or key) in `input` that holds a control character or broken text, else null. */
export function findUnreadableText(input: unknown, path: PropertyKey[] = []): PropertyKey[] | null {
  if (typeof input === 'string') return CONTROL.test(input) || LONE_SURROGATE.test(input) ? path : null;
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++) {
      const found = findUnreadableText(input[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      if (CONTROL.test(key) || LONE_SURROGATE.test(key)) return path;
      const found = findUnreadableText(value, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Parses input with a shared zod schema; the first problem becomes a 400 with its Chinese message.
 * Text with a NUL or another control character is refused here, before any schema or SQL sees it.
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const unreadable = findUnreadableText(input);
  if (unreadable) {
    throw new AppError('invalid_input', `${fieldLabel(unreadable)}里有无法识别的字符，请删掉后再试`);
  }
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

/** The table key of the route handling this request, checked against the one a route names. */
function assertRoute(c: Context, route: string): void {
  const actual = `${c.req.method} ${c.req.routePath}`;
  if (actual !== route) throw new Error(`${actual} reads the request schema of ${route}`);
}

/** The body of a route, parsed with its schema from the request table (shared/src/schemas/requests.ts). */
export async function parseBody<K extends BodyRoute>(c: Context, route: K): Promise<BodyOf<K>> {
  assertRoute(c, route);
  const spec = REQUESTS[route] as { body: z.ZodType };
  return (await parseJsonBody(c, spec.body)) as BodyOf<K>;
}

/** The query string of a route, parsed with its schema from the request table. */
export function parseQuery<K extends QueryRoute>(c: Context, route: K): QueryOf<K> {
  assertRoute(c, route);
  const spec = REQUESTS[route] as { query: z.ZodType };
  return parseWith(spec.query, c.req.query()) as QueryOf<K>;
}
