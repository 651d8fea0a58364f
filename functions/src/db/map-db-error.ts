import { AppError, type ErrorCode, isErrorCode } from '@llb/shared';

/** The fields node-postgres errors and PostgREST errors (via supabase-js) have in common. */
export interface DbErrorLike {
  code?: string;
  message?: string;
  detail?: string;
  details?: string | null;
}

// SQLSTATE classes that mean the caller sent something the database refused.
const BY_SQLSTATE: Record<string, ErrorCode> = {
  '23505': 'conflict', // unique_violation
  '23503': 'invalid_input', // foreign_key_violation
  '23514': 'invalid_input', // check_violation
  '23502': 'invalid_input', // not_null_violation
  '22P02': 'invalid_input', // invalid_text_representation (a malformed uuid, say)
  '22001': 'invalid_input', // string_data_right_truncation
  '22003': 'invalid_input', // numeric_value_out_of_range
  '22007': 'invalid_input', // invalid_datetime_format
  '22008': 'invalid_input', // datetime_field_overflow
  '22021': 'invalid_input', // character_not_in_repertoire (a NUL byte in text)
  '22P05': 'invalid_input', // untranslatable_character (\u0000 in jsonb)
  '40001': 'conflict', // serialization_failure
  '40P01': 'conflict', // deadlock_detected
  '55P03': 'conflict', // lock_not_available
  '57014': 'db_unavailable', // query_canceled (statement timeout)
  '53300': 'db_unavailable', // too_many_connections
  '57P01': 'db_unavailable', // admin_shutdown
  '57P03': 'db_unavailable', // cannot_connect_now
};

// What to fix, where the code's default message would be too vague.
const MESSAGE_BY_SQLSTATE: Record<string, string> = {
  '22021': '内容里有无法识别的字符，请删掉后再试',
  '22P05': '内容里有无法识别的字符，请删掉后再试',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Maps a database or transport error to the AppError both adapters report. */
export function mapDbError(error: DbErrorLike): AppError {
  const code = error.code ?? '';
  const detail = error.detail ?? error.details ?? undefined;
  if (code === 'P0001' && isErrorCode(error.message)) {
    return new AppError(error.message, detail || undefined, { cause: error });
  }
  const mapped = BY_SQLSTATE[code];
  if (mapped) return new AppError(mapped, MESSAGE_BY_SQLSTATE[code], { cause: error });
  if (code.startsWith('08') || NETWORK_CODES.has(code) || /fetch failed|connect/i.test(error.message ?? '')) {
    return new AppError('db_unavailable', undefined, { cause: error });
  }
  return new AppError('internal', undefined, { cause: error });
}
