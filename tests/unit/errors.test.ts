import { AppError, ERROR_CODES, isErrorCode } from '@llb/shared';
import { describe, expect, it } from 'vitest';

describe('AppError', () => {
  it('takes its status and default Chinese message from the code table', () => {
    const error = new AppError('forbidden');
    expect(error.status).toBe(403);
    expect(error.message).toBe('没有权限进行这个操作');
  });

  it('keeps a specific message when given one', () => {
    expect(new AppError('not_found', '没有找到这个社区').message).toBe('没有找到这个社区');
  });

  it('reports every user mistake as 4xx and only infrastructure as 5xx', () => {
    const serverSide = Object.entries(ERROR_CODES)
      .filter(([, v]) => v.status >= 500)
      .map(([k]) => k);
    expect(serverSide.sort()).toEqual(['db_unavailable', 'internal', 'wechat_unavailable']);
  });

  it('recognises only the codes in the table', () => {
    expect(isErrorCode('conflict')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});
