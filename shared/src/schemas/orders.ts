import { z } from 'zod';
import { ORDER_STATUSES } from '../orders/order-status';
import { RATING_TAGS } from '../orders/rating';

const isoTime = (message: string) => z.iso.datetime({ offset: true, error: message });

/** 点单: a resident orders for themselves; staff give residentId to order for someone who phoned (代下单). */
export const placeOrderInput = z
  .object({
    projectId: z.uuid({ error: '请选择服务项目' }),
    residentId: z.uuid({ error: '服务对象选择有误' }).nullish(),
    windowStart: isoTime('请选择服务开始时间'),
    windowEnd: isoTime('请选择服务结束时间'),
    address: z.string().trim().max(200, { error: '地址最多 200 字' }).nullish(),
    contactPhone: z
      .string()
      .trim()
      .min(1, { error: '请填写联系电话' })
      .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, { error: '联系电话请填 11 位手机号，或带区号的座机号' })
      .nullish(),
    notes: z.string().trim().max(500, { error: '备注最多 500 字' }).default(''),
    latitude: z.number().min(-90).max(90).nullish(),
    longitude: z.number().min(-180).max(180).nullish(),
  })
  .refine((o) => Date.parse(o.windowEnd) > Date.parse(o.windowStart), {
    error: '结束时间要晚于开始时间',
    path: ['windowEnd'],
  });
export type PlaceOrderInput = z.infer<typeof placeOrderInput>;

export const reasonInput = z.object({
  reason: z.string().trim().max(200, { error: '原因最多 200 字' }).default(''),
});

export const assignInput = z.object({
  volunteerId: z.uuid({ error: '请选择志愿者' }),
});

/** Proof of presence: the code shown on the resident's phone, or the volunteer's location. */
export const presenceInput = z.union(
  [
    z.object({
      method: z.literal('code'),
      code: z
        .string()
        .trim()
        .min(1, { error: '请输入居民手机上的 6 位数字' })
        .regex(/^\d{6}$/, { error: '验证码是 6 位数字' }),
    }),
    z.object({
      method: z.literal('location'),
      latitude: z.number({ error: '没有取得位置' }).min(-90).max(90),
      longitude: z.number({ error: '没有取得位置' }).min(-180).max(180),
    }),
  ],
  { error: '请扫码、输入验证码或使用定位签到' },
);
export type PresenceInput = z.infer<typeof presenceInput>;

export const confirmInput = z.object({
  rating: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: '请选择评价：很好、好或一般' }),
  tags: z
    .array(z.enum(RATING_TAGS, { error: '评价标签有误' }))
    .max(RATING_TAGS.length)
    .default([]),
  comment: z.string().trim().max(300, { error: '评价内容最多 300 字' }).default(''),
});
export type ConfirmInput = z.infer<typeof confirmInput>;

export const disputeInput = z.object({
  reason: z
    .string({ error: '请说明情况' })
    .trim()
    .min(2, { error: '请说明情况' })
    .max(300, { error: '说明最多 300 字' }),
});

export const resolveInput = z.object({
  outcome: z.enum(['uphold', 'void'], { error: '请选择处理结果' }),
  note: z
    .string({ error: '请填写处理说明' })
    .trim()
    .min(2, { error: '请填写处理说明' })
    .max(300, { error: '处理说明最多 300 字' }),
});

/** Staff decide a service held for review (shorter than the project's minimum). */
export const reviewServiceInput = z
  .object({
    outcome: z.enum(['approve', 'reject'], { error: '请选择核实结果：认可或不认可' }),
    note: z.string().trim().max(300, { error: '说明最多 300 字' }).default(''),
  })
  .refine((r) => r.outcome === 'approve' || r.note.length >= 2, {
    error: '不认可时请写明原因',
    path: ['note'],
  });

/** Staff's order filter: a status, or 'overdue' (open past its response deadline). */
export const orderListQuery = z.object({
  status: z.enum([...ORDER_STATUSES, 'overdue'], { error: '订单状态不正确' }).optional(),
});

/** Every write carries one (header Idempotency-Key): a resent request replays the first answer. */
export const idempotencyKey = z
  .string({ error: '缺少请求编号（Idempotency-Key）' })
  .regex(/^[A-Za-z0-9_-]{8,100}$/, { error: '请求编号（Idempotency-Key）格式不正确' });

export const pairInput = z.object({
  residentId: z.uuid({ error: '请选择居民' }),
  volunteerId: z.uuid({ error: '请选择志愿者' }),
});
