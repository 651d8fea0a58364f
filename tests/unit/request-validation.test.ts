import { AppError, fieldLabel, REQUESTS, RESPONSES } from '@llb/shared';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findUnreadableText, parseWith } from '../../functions/src/http/parse';

const refusal = (schema: z.ZodType, input: unknown): string => {
  try {
    parseWith(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_input');
    return (error as AppError).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
};
const body = (route: keyof typeof REQUESTS) => (REQUESTS[route] as { body: z.ZodType }).body;

describe('text the API refuses before any SQL sees it', () => {
  it.each([
    ['a NUL byte', { reason: 'a\u0000b' }, ['reason']],
    ['an escape character', { note: 'x\u001b[31m' }, ['note']],
    ['DEL', { tags: ['ok', '\u007f'] }, ['tags', 1]],
    ['a lone surrogate', { comment: 'x\ud800' }, ['comment']],
    ['a NUL in a key', { 'a\u0000': 1 }, []],
  ])('finds %s', (_case, input, path) => {
    expect(findUnreadableText(input)).toEqual(path);
  });

  it('lets line breaks, tabs, emoji and Chinese through', () => {
    expect(findUnreadableText({ notes: '第一行\n第二行\r\n\t缩进 😀👨‍👩‍👧' })).toBeNull();
  });

  it('answers a Chinese 400 naming the field, even where the schema would accept the text', () => {
    expect(refusal(body('POST /api/orders/:orderId/cancel'), { reason: '不去了\u0000' })).toBe(
      '原因里有无法识别的字符，请删掉后再试',
    );
    expect(refusal(z.object({ q: z.string() }), { q: '\u0000' })).toBe(
      '搜索内容里有无法识别的字符，请删掉后再试',
    );
  });
});

describe('validation messages', () => {
  it.each([
    ['null', null, '请求内容不正确：应为一个 JSON 对象'],
    ['an array', [], '请求内容不正确：应为一个 JSON 对象'],
    ['a string', 'text', '请求内容不正确：应为一个 JSON 对象'],
  ])('say in Chinese that a body of %s is not an object', (_case, input, message) => {
    expect(refusal(body('POST /api/orders/:orderId/cancel'), input)).toBe(message);
  });

  it.each([
    [{ quantity: 3, note: 5 }, '说明须为文字'],
    [{ quantity: 3, note: 'x'.repeat(201) }, '备注最多 200 字'],
    [{ quantity: 3, note: [] }, '说明须为文字'],
  ])('name the field and what to fix for %j', (input, message) => {
    expect(refusal(body('POST /api/goods/:goodsId/stock'), input)).toBe(message);
  });

  it('word numbers out of range and wrong types with the field’s label', () => {
    const order = {
      projectId: '00000000-0000-4000-8000-000000000001',
      windowStart: '2030-01-01T09:00:00+08:00',
      windowEnd: '2030-01-01T10:00:00+08:00',
    };
    expect(refusal(body('POST /api/orders'), { ...order, latitude: 91 })).toBe('纬度不能大于 90');
    expect(refusal(body('POST /api/orders'), { ...order, longitude: -181 })).toBe('经度不能小于 -180');
    expect(refusal(body('POST /api/orders'), { ...order, latitude: '31.2' })).toBe('纬度须为数字');
    expect(refusal(body('POST /api/orders'), { ...order, address: 42 })).toBe('地址须为文字');
    expect(
      refusal(body('POST /api/orders/:orderId/resolve'), { outcome: 'void', note: 'x'.repeat(301) }),
    ).toBe('处理说明最多 300 字');
    expect(refusal(body('POST /api/projects'), { version: -1 })).toBe('版本号须大于 0');
  });

  it('never leak English for any request schema given wrong types everywhere', () => {
    const junk = [null, 1.5, -1, 'x', [], {}, true, 'x'.repeat(2000), 1e21];
    for (const [route, spec] of Object.entries(REQUESTS)) {
      const schema = 'body' in spec && spec.body ? spec.body : 'query' in spec ? spec.query : null;
      if (!schema) continue;
      const keys = Object.keys(
        (z.toJSONSchema(schema, { unrepresentable: 'any' }) as { properties?: object }).properties ?? {
          x: 1,
        },
      );
      for (const value of junk) {
        for (const key of keys) {
          const result = schema.safeParse({ [key]: value });
          for (const issue of result.error?.issues ?? []) {
            expect(issue.message, `${route} ${key}=${JSON.stringify(value)}`).toMatch(/[\u4e00-\u9fff]/);
            expect(
              issue.message.replace(/https?|JSON/g, ''),
              `${route} ${key}=${JSON.stringify(value)}`,
            ).not.toMatch(/[A-Za-z]{3,}/);
          }
        }
      }
    }
  });

  it('label every field a request schema has', () => {
    for (const spec of Object.values(REQUESTS)) {
      const schema = 'body' in spec && spec.body ? spec.body : 'query' in spec ? spec.query : null;
      if (!schema) continue;
      const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as {
        properties?: object;
        anyOf?: { properties?: object }[];
      };
      const keys = [json, ...(json.anyOf ?? [])].flatMap((o) => Object.keys(o.properties ?? {}));
      for (const key of keys) expect(fieldLabel([key]), key).not.toBe('此项');
    }
  });

  it('cover only routes of the API', () => {
    expect(Object.keys(REQUESTS).filter((route) => !(route in RESPONSES))).toEqual([]);
  });
});
