/** Every expected failure the API can report, with its HTTP status and default Chinese message. */
export const ERROR_CODES = {
  invalid_input: { status: 400, message: '填写的内容有误，请检查后再试' },
  unauthorized: { status: 401, message: '请先登录' },
  forbidden: { status: 403, message: '没有权限进行这个操作' },
  not_found: { status: 404, message: '没有找到相关内容' },
  conflict: { status: 409, message: '操作冲突，请刷新后再试' },
  rate_limited: { status: 429, message: '操作太频繁，请稍后再试' },
  illegal_transition: { status: 409, message: '当前状态不能进行这个操作，请刷新后再试' },
  order_taken: { status: 409, message: '这个订单已经被其他志愿者接了' },
  not_qualified: { status: 403, message: '您暂时不能接这个订单' },
  schedule_conflict: { status: 409, message: '这个时间您已经有别的服务了' },
  presence_failed: { status: 400, message: '到场验证没有通过，请再试一次' },
  project_unavailable: { status: 409, message: '这个服务暂时不能预约' },
  idempotency_reused: { status: 422, message: '这个请求编号已经用于别的操作' },
  insufficient_points: { status: 409, message: '积分不够' },
  out_of_stock: { status: 409, message: '库存不够了' },
  limit_reached: { status: 409, message: '这件物品本月的兑换次数已经用完了' },
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
