// 需求 / 微心愿: what a resident posts, how staff decide it, the wishes volunteers
// claim, and what each viewer sees of them (views carry `actions`, as orders do).
import { z } from 'zod';
import { placeOrderInput } from './orders';
import { isoTime } from './views';

const id = z.uuid();

export const NEED_STATUSES = [
  'checking',
  'refused',
  'review',
  'wish',
  'ordered',
  'case',
  'merged',
  'declined',
  'withdrawn',
] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/** How a need's state reads (display only; what a viewer may do comes from `actions`). */
export const NEED_STATUS_LABELS: Record<NeedStatus, string> = {
  checking: '内容检查中',
  refused: '未通过检查',
  review: '等社区审核',
  wish: '已发布为微心愿',
  ordered: '已安排服务',
  case: '社区事务处理中',
  merged: '已合并处理',
  declined: '未受理',
  withdrawn: '已撤回',
};

export const NEED_ACTIONS = [
  'publish_wish',
  'make_order',
  'open_case',
  'merge',
  'decline',
  'update_case',
  'withdraw',
] as const;

export const WISH_STATUSES = ['open', 'claimed', 'fulfilled', 'confirmed', 'withdrawn'] as const;
export const WISH_STATUS_LABELS: Record<(typeof WISH_STATUSES)[number], string> = {
  open: '等人认领',
  claimed: '已认领',
  fulfilled: '待确认',
  confirmed: '已完成',
  withdrawn: '已撤销',
};
export const WISH_ACTIONS = ['claim', 'fulfil', 'release', 'confirm', 'donate', 'withdraw'] as const;

export const CASE_STATUS_LABELS = { accepted: '已受理', in_progress: '处理中', closed: '已办结' } as const;

/** 我要求助: a resident's own words; staff post for someone who phoned with residentId. */
export const postNeedInput = z.object({
  residentId: z.uuid({ error: '服务对象选择有误' }).nullish(),
  body: z
    .string({ error: '请说一说需要什么帮助' })
    .trim()
    .min(2, { error: '请说一说需要什么帮助' })
    .max(500, { error: '求助内容最多 500 字' }),
  urgent: z.boolean({ error: '请选择是否紧急' }).default(false),
  visibility: z.enum(['neighbours', 'staff'], { error: '请选择谁能看到这条求助' }),
  photoIds: z
    .array(z.uuid({ error: '照片有误，请重新选择' }))
    .max(9, { error: '照片太多了' })
    .default([]),
});
export type PostNeedInput = z.infer<typeof postNeedInput>;

const wishFields = {
  title: z
    .string({ error: '请填写心愿标题' })
    .trim()
    .min(2, { error: '心愿标题至少 2 个字' })
    .max(40, { error: '心愿标题最多 40 字' }),
  description: z
    .string({ error: '请填写心愿说明' })
    .trim()
    .min(2, { error: '心愿说明至少 2 个字' })
    .max(300, { error: '心愿说明最多 300 字' }),
  points: z.int({ error: '请填写奖励积分' }).min(1, { error: '奖励积分至少 1 分' }),
  deadline: z.iso.datetime({ offset: true, error: '请选择完成期限' }),
};

/** Staff decide a need: one of five, each with what it needs. */
export const reviewNeedInput = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('publish_wish'), ...wishFields }),
    z.object({
      decision: z.literal('make_order'),
      projectId: placeOrderInput.shape.projectId,
      windowStart: placeOrderInput.shape.windowStart,
      windowEnd: placeOrderInput.shape.windowEnd,
      address: placeOrderInput.shape.address,
      contactPhone: placeOrderInput.shape.contactPhone,
      notes: z.string().trim().max(500, { error: '备注最多 500 字' }).default(''),
    }),
    z.object({ decision: z.literal('open_case') }),
    z.object({ decision: z.literal('merge'), intoNeedId: z.uuid({ error: '请选择要合并到的求助' }) }),
    z.object({
      decision: z.literal('decline'),
      reason: z
        .string({ error: '请写明原因' })
        .trim()
        .min(2, { error: '请写明原因，居民会看到' })
        .max(300, { error: '原因最多 300 字' }),
    }),
  ],
  { error: '请选择处理方式' },
);
export type ReviewNeedInput = z.infer<typeof reviewNeedInput>;

export const caseUpdateInput = z.object({
  status: z.enum(['in_progress', 'closed'], { error: '请选择处理中或已办结' }),
  reply: z
    .string({ error: '请写几句给居民的回复' })
    .trim()
    .min(2, { error: '请写几句给居民的回复' })
    .max(300, { error: '回复最多 300 字' }),
});

export const needListQuery = z.object({
  status: z.enum(NEED_STATUSES, { error: '求助状态不正确' }).optional(),
});

export const fulfilWishInput = z.object({
  photoId: z.uuid({ error: '请拍一张照片作为完成的凭证' }),
  note: z
    .string({ error: '请写几句完成情况' })
    .trim()
    .min(2, { error: '请写几句完成情况' })
    .max(300, { error: '最多 300 字' }),
});

export const confirmWishInput = z.object({
  rating: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: '请选择评价：很好、好或一般' }),
  comment: z.string().trim().max(300, { error: '评价内容最多 300 字' }).default(''),
});

export const donateInput = z.object({
  amount: z.int({ error: '请填写要捐的积分' }).min(1, { error: '至少捐 1 积分' }),
});

export const wishReasonInput = z.object({
  reason: z.string().trim().max(200, { error: '原因最多 200 字' }).default(''),
});

export const needView = z.strictObject({
  id,
  communityId: id,
  communityName: z.string(),
  residentId: id,
  residentName: z.string(),
  postedByStaff: z.boolean(),
  body: z.string(),
  urgent: z.boolean(),
  visibility: z.enum(['neighbours', 'staff']),
  status: z.enum(NEED_STATUSES),
  /** Staff only: WeChat's and the local check's verdict. */
  contentCheck: z.enum(['pending', 'pass', 'review', 'risky']).nullable(),
  contentNote: z.string().nullable(),
  /** Staff only: the routing model's suggestion. */
  suggestion: z
    .strictObject({ category: z.string(), confidence: z.number(), runnerUp: z.string().nullable() })
    .nullable(),
  photos: z.array(
    z.strictObject({ id, url: z.string(), checked: z.enum(['pending', 'pass', 'review', 'risky']) }),
  ),
  orderId: id.nullable(),
  /** The order a need became (代下单): the need follows it. */
  orderStatus: z.string().nullable(),
  mergedInto: id.nullable(),
  wishId: id.nullable(),
  case: z
    .strictObject({
      id,
      status: z.enum(['accepted', 'in_progress', 'closed']),
      reply: z.string().nullable(),
      updatedAt: isoTime,
    })
    .nullable(),
  decisionNote: z.string().nullable(),
  createdAt: isoTime,
  reviewedAt: isoTime.nullable(),
  viewerKind: z.enum(['resident', 'staff']),
  actions: z.array(z.enum(NEED_ACTIONS)),
  timeline: z
    .array(
      z.strictObject({
        action: z.string(),
        actorRole: z.enum(['resident', 'volunteer', 'staff', 'system']),
        actorName: z.string(),
        at: isoTime,
        detail: z.record(z.string(), z.unknown()),
      }),
    )
    .optional(),
});
export type NeedView = z.infer<typeof needView>;

export const wishView = z.strictObject({
  id,
  needId: id,
  communityId: id,
  communityName: z.string(),
  title: z.string(),
  description: z.string(),
  points: z.number().int(),
  pool: z.number().int(),
  deadline: isoTime,
  status: z.enum(WISH_STATUSES),
  /** 一位邻居 to anyone but staff, the resident, and the claimer while it is theirs. */
  residentName: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  claimerName: z.string().nullable(),
  mine: z.boolean(),
  claimedAt: isoTime.nullable(),
  fulfilledAt: isoTime.nullable(),
  proofNote: z.string().nullable(),
  proofPhotoUrl: z.string().nullable(),
  photos: z.array(z.string()),
  confirmedAt: isoTime.nullable(),
  rating: z.number().int().nullable(),
  pointsAwarded: z.number().int(),
  viewerKind: z.enum(['staff', 'resident', 'claimer', 'volunteer', 'neighbour']),
  actions: z.array(z.enum(WISH_ACTIONS)),
});
export type WishView = z.infer<typeof wishView>;
