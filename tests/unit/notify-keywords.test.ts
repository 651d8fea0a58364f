// Subscribe-message keywords within WeChat's limits, and the template
// configuration refused at startup when malformed.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/src/config';
import { formatKeyword, shanghaiTime, truncate } from '../../functions/src/notifications/keywords';
import { maskPhone, scrubPhones } from '../../functions/src/notifications/mask';
import { backoffSeconds } from '../../functions/src/notifications/sender';
import {
  loadWechatTemplates,
  smsParams,
  subscribeData,
  subscribePage,
  tapTemplateIds,
} from '../../functions/src/notifications/templates';
import { classifyErrcode } from '../../functions/src/wechat/subscribe';

const len = (s: string) => Array.from(s).length;

describe('keyword values', () => {
  it('cuts thing to 20 characters, ending in …', () => {
    const long = '手机使用上门教学：教老人用微信视频、扫码、线上挂号和打车';
    const value = formatKeyword('thing', long);
    expect(len(value)).toBe(20);
    expect(value.endsWith('…')).toBe(true);
    expect(formatKeyword('thing', '手机使用上门教学')).toBe('手机使用上门教学');
  });

  it('counts characters, not UTF-16 units (an emoji is one)', () => {
    expect(len(truncate('😀'.repeat(30), 20))).toBe(20);
  });

  it('keeps phrase to 5 Chinese characters only', () => {
    expect(formatKeyword('phrase', '已接单 OK')).toBe('已接单');
    expect(formatKeyword('phrase', '志愿者已经接单了啊')).toBe('志愿者已经');
    expect(formatKeyword('phrase', 'accepted')).toBe('通知');
  });

  it('keeps name to 10, character_string to 32 printable ASCII, number to digits', () => {
    expect(len(formatKeyword('name', '欧阳娜娜娜娜娜娜娜娜娜娜'))).toBe(10);
    expect(formatKeyword('character_string', 'A-123 号单')).toBe('A-123');
    expect(formatKeyword('character_string', 'x'.repeat(40))).toHaveLength(32);
    expect(formatKeyword('number', '共 15 积分')).toBe('15');
    expect(formatKeyword('number', 12)).toBe('12');
  });

  it('writes time as YYYY年MM月DD日 HH:mm in Shanghai time', () => {
    expect(formatKeyword('time', '2026-11-25T01:30:00Z')).toBe('2026年11月25日 09:30');
    expect(formatKeyword('time', '2026-12-31T16:05:00.000Z')).toBe('2027年01月01日 00:05');
    expect(formatKeyword('date', '2026-11-25T01:30:00Z')).toBe('2026年11月25日');
    expect(shanghaiTime('not a time')).toBeNull();
  });

  it('never sends an empty value', () => {
    expect(formatKeyword('thing', undefined)).toBe('-');
    expect(formatKeyword('thing', '  ', '无')).toBe('无');
    expect(formatKeyword('number', null, '0')).toBe('0');
  });
});

describe('templates as configuration', () => {
  const config = {
    events: {
      order_accepted: {
        templateId: 'tmplAccepted_1',
        keywords: {
          thing1: { from: 'projectTitle', type: 'thing' },
          time2: { from: 'windowStart', type: 'time' },
          name3: { from: 'volunteerName', type: 'name' },
          phrase4: { value: '已接单', type: 'phrase' },
        },
      },
      offer_made: { templateId: 'tmplOffer', page: 'volunteer/pages/offers/index', keywords: {} },
    },
  };

  it('fills each keyword from the event’s facts', () => {
    const templates = loadWechatTemplates({ WECHAT_TEMPLATES: JSON.stringify(config) });
    expect(templates?.state).toBe('formal');
    const n = {
      event: 'order_accepted',
      title: '已有志愿者接单',
      body: '李明 将于 11月25日 09:30 上门',
      page: '/pages/order-detail/index?id=abc',
      data: { projectTitle: '手机使用上门教学', windowStart: '2026-11-25T01:30:00Z', volunteerName: '李明' },
    };
    const template = templates?.events.order_accepted;
    if (!template) throw new Error('no template');
    expect(subscribeData(template, n)).toEqual({
      thing1: { value: '手机使用上门教学' },
      time2: { value: '2026年11月25日 09:30' },
      name3: { value: '李明' },
      phrase4: { value: '已接单' },
    });
    expect(subscribePage(template, n)).toBe('pages/order-detail/index?id=abc');
    expect(tapTemplateIds(templates)).toEqual({
      order: ['tmplAccepted_1'],
      offers: ['tmplOffer'],
      store: [],
    });
    expect(tapTemplateIds(null)).toEqual({ order: [], offers: [], store: [] });
  });

  it('refuses a malformed configuration at startup, in Chinese and English', () => {
    expect(() => loadConfig({ WECHAT_TEMPLATES: '{not json' })).toThrow(/WECHAT_TEMPLATES 不是合法的 JSON/);
    expect(() =>
      loadConfig({
        WECHAT_TEMPLATES: JSON.stringify({
          events: {
            order_accepted: { templateId: 't', keywords: { thing1: { from: 'projectTitle', type: 'text' } } },
          },
        }),
      }),
    ).toThrow(
      /WECHAT_TEMPLATES 配置不正确 \/ WECHAT_TEMPLATES is invalid: events\.order_accepted\.keywords\.thing1/,
    );
    expect(() => loadConfig({ SMS_PROVIDER: 'tencent' })).toThrow(/SMS_PROVIDER=tencent needs SMS_SECRET_ID/);
    expect(() => loadConfig({ SMS_PROVIDER: 'aliyun' })).toThrow(/SMS_PROVIDER 只支持 tencent/);
  });

  it('is absent by default: only the inbox', () => {
    const config = loadConfig({});
    expect(config.notifications.wechatTemplates).toBeNull();
    expect(config.notifications.sms).toBeNull();
    expect(config.notifications.maxAttempts).toBe(5);
  });

  it('builds SMS parameters in order, each cut to its maximum', () => {
    const n = {
      event: 'order_accepted',
      title: '',
      body: '',
      page: null,
      data: { volunteerName: '李明', time: '11月25日 09:30' },
    };
    expect(
      smsParams({ templateId: '1', params: ['volunteerName', { from: 'time', max: 6 }, 'missing'] }, n),
    ).toEqual(['李明', '11月25…', '-']);
  });
});

describe('delivery rules', () => {
  it('sorts WeChat answers: 43101 and 47003 final, -1 retried, 40001 a token to refresh', () => {
    expect(classifyErrcode(0).kind).toBe('sent');
    expect(classifyErrcode(43101, 'user refuse to accept the msg')).toEqual({
      kind: 'refused',
      reason: 'refused: user has no subscription (errcode 43101 user refuse to accept the msg)',
    });
    expect(classifyErrcode(47003).kind).toBe('refused');
    expect(classifyErrcode(-1).kind).toBe('retry');
    expect(classifyErrcode(40001).kind).toBe('token');
  });

  it('backs off exponentially, at most an hour', () => {
    expect([1, 2, 3, 4].map((a) => backoffSeconds(a, 30))).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(20, 30)).toBe(3600);
  });

  it('masks numbers wherever they appear', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('138****5678');
    expect(scrubPhones('LimitExceeded for +8613812345678 and 13912345678')).toBe(
      'LimitExceeded for 138****5678 and 139****5678',
    );
  });
});
