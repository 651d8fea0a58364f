import { z } from 'zod';

export const wechatLoginBody = z.object({
  code: z
    .string({ error: '缺少微信登录凭证' })
    .trim()
    .min(1, { error: '缺少微信登录凭证' })
    .max(128, { error: '微信登录凭证格式不正确' }),
});

export const devLoginBody = z.object({
  identity: z
    .string({ error: '请选择一个体验身份' })
    .regex(/^[a-z0-9_-]{1,40}$/, { error: '体验身份格式不正确' }),
});

export const setHomeBody = z.object({
  communityId: z.uuid({ error: '请选择所在社区' }),
  gridId: z.uuid({ error: '网格选择有误' }).nullish(),
});
export type SetHomeBody = z.infer<typeof setHomeBody>;

export const preferencesBody = z.object({
  elderMode: z.boolean({ error: '请选择打开或关闭长辈模式' }),
});
