import { z } from 'zod';

/** A subscribe-message template id as WeChat issues them. */
export const templateIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { error: '消息模板编号不正确' });

/**
 * What wx.requestSubscribeMessage answered, as the app got it: template id →
 * accept (one sending credit), reject, ban or filter (nothing).
 */
export const subscriptionResultsBody = z.object({
  results: z
    .record(templateIdSchema, z.enum(['accept', 'reject', 'ban', 'filter'], { error: '订阅结果不正确' }), {
      error: '订阅结果格式不正确',
    })
    .refine((r) => Object.keys(r).length <= 20, { error: '订阅的消息太多了' }),
});
export type SubscriptionResultsBody = z.infer<typeof subscriptionResultsBody>;
