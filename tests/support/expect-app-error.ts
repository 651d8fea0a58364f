import { AppError, type ErrorCode } from '@llb/shared';
import { expect } from 'vitest';

/** Asserts the promise fails with this AppError code (and, if given, a message matching the pattern). */
export async function expectAppError(
  promise: Promise<unknown>,
  code: ErrorCode,
  message?: RegExp,
): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe(code);
  if (message) expect(appError.message).toMatch(message);
  return appError;
}
