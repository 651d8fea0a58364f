import { AppError, type ErrorBody } from '@llb/shared';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The single place errors become responses: `{ error: { code, message } }`, 4xx for the user's mistakes. */
export function errorResponse(error: Error, c: Context): Response {
  let appError: AppError;
  if (error instanceof AppError) {
    appError = error;
  } else if (error instanceof HTTPException && error.status < 500) {
    appError = new AppError('invalid_input', '请求内容不正确');
  } else {
    appError = new AppError('internal', undefined, { cause: error });
  }
  if (appError.status >= 500) console.error('[api]', c.req.method, c.req.path, appError.cause ?? error);
  const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
  return c.json(body, appError.status as ContentfulStatusCode);
}

export function notFoundResponse(c: Context): Response {
  const body: ErrorBody = { error: { code: 'not_found', message: '没有这个接口' } };
  return c.json(body, 404);
}
