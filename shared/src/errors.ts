/** Every expected failure the API can report, with its HTTP status and default Chinese message. */
export const ERROR_CODES = {
  invalid_input: { status: 400, message: '填写的内容有误，请检查后再试' },
  unauthorized: { status: 401, message: '请先登录' },
  forbidden: { status: 403, message: '没有权限进行这个操作' },
  not_found: { status: 404, message: '没有找到相关内容' },
  conflict: { status: 409, message: '操作冲突，请刷新后再试' },
  rate_limited: { status: 429, message: '操作太频繁，请稍后再试' },
  internal: { status: 500, message: '系统出了点问题，请稍后再试' },
  wechat_unavailable: { status: 502, message: '微信服务暂时不可用，请稍后再试' },
  db_unavailable: { status: 503, message: '服务暂时不可用，请稍后再试' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** The one error type the API throws for expected failures; routes turn it into `{ error: { code, message } }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message || ERROR_CODES[code].message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}
