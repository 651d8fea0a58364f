import { z } from 'zod';
import { pickupQr } from '../qr';

/** A whole-number field's message: what is missing when it is empty, else what it must be. */
const whole = (label: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? `请填写${label}` : `${label}须为整数`;

export const goodsInput = z.object({
  id: z.uuid({ error: '物品编号不正确' }).nullish(),
  version: z.int().positive().nullish(),
  communityId: z.uuid({ error: '请选择社区' }),
  name: z
    .string({ error: '请填写物品名称' })
    .trim()
    .min(1, { error: '请填写物品名称' })
    .max(40, { error: '物品名称最多 40 字' }),
  description: z.string().trim().max(500, { error: '介绍最多 500 字' }).default(''),
  photoUrl: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: '图片地址要以 http 或 https 开头' })])
    .default(''),
  donor: z.string().trim().max(60, { error: '捐赠方最多 60 字' }).default(''),
  pricePoints: z
    .int({ error: whole('兑换积分') })
    .min(1, { error: '兑换积分至少为 1' })
    .max(100000, { error: '兑换积分太大了' }),
  monthlyLimit: z
    .int({ error: whole('每月限兑件数') })
    .min(1, { error: '每月至少可兑 1 件' })
    .max(100, { error: '每月限兑不能超过 100 件' }),
  status: z.enum(['active', 'inactive'], { error: '状态不正确' }).default('active'),
});
export type GoodsInput = z.infer<typeof goodsInput>;

export const redeemInput = z.object({
  quantity: z
    .int({ error: '数量须为整数' })
    .min(1, { error: '至少兑换 1 件' })
    .max(10, { error: '一次最多兑换 10 件' }),
});

export const stockInput = z.object({
  quantity: z
    .int({ error: whole('入库数量') })
    .min(1, { error: '入库数量至少 1 件' })
    .max(10000, { error: '一次入库最多 10000 件' }),
  note: z.string().trim().max(200, { error: '备注最多 200 字' }).default(''),
});

/** 核销: the 6 digits, typed or read from the QR code (shared/src/qr.ts). */
export const pickupInput = z.object({
  code: z
    .string({ error: '请输入取货码' })
    .trim()
    .transform(pickupQr.decode)
    .pipe(z.string().regex(/^\d{6}$/, { error: '取货码是 6 位数字' })),
});

export const adjustInput = z.object({
  amount: z
    .int({ error: whole('要调整的积分') })
    .min(-10000, { error: '一次最多扣 10000 分' })
    .max(10000, { error: '一次最多加 10000 分' })
    .refine((n) => n !== 0, { error: '调整的积分不能为 0' }),
  reason: z
    .string({ error: '请写明调整原因' })
    .trim()
    .min(2, { error: '请写明调整原因' })
    .max(200, { error: '调整原因最多 200 字' }),
});

export const reverseInput = z.object({
  reason: z
    .string({ error: '请写明撤销原因' })
    .trim()
    .min(2, { error: '请写明撤销原因' })
    .max(200, { error: '撤销原因最多 200 字' }),
});
