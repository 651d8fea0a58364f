import { z } from 'zod';
import { SERVICE_CATEGORIES } from '../categories';

/** A whole-number field's message: what is missing when it is empty, else what it must be. */
const whole = (label: string, unit: string) => (issue: { input?: unknown }) =>
  issue.input === undefined || issue.input === null ? `请填写${label}` : `${label}须为整数${unit}`;

const categoryCodes = SERVICE_CATEGORIES.map((c) => c.code) as [string, ...string[]];

/** The project form, as staff fill it in (新增或修改服务项目). */
export const projectInput = z
  .object({
    id: z.uuid({ error: '项目编号不正确' }).nullish(),
    version: z.int().positive().nullish(),
    communityId: z.uuid({ error: '请选择所属社区' }),
    title: z
      .string({ error: '请填写项目名称' })
      .trim()
      .min(2, { error: '项目名称至少 2 个字' })
      .max(40, { error: '项目名称最多 40 个字' }),
    category: z.enum(categoryCodes, { error: '请选择服务类别' }),
    /** visit (上门服务, the default) or session (按课表上课: 四点半课堂); fixed once created. */
    mode: z.enum(['visit', 'session'], { error: '请选择服务方式' }).optional(),
    description: z.string().trim().max(1000, { error: '项目介绍最多 1000 字' }).default(''),
    requiredSkills: z
      .array(z.string().regex(/^[a-z_]{2,32}$/, { error: '专长选择有误' }))
      .max(5, { error: '所需专长最多选 5 项' })
      .default([]),
    pointsPerHour: z
      .int({ error: whole('每小时积分', '') })
      .min(1, { error: '每小时积分至少为 1' })
      .max(1000, { error: '每小时积分不能超过 1000' }),
    expectedMinutes: z
      .int({ error: whole('预计时长', '分钟') })
      .min(15, { error: '预计时长至少 15 分钟' })
      .max(480, { error: '预计时长不能超过 8 小时' }),
    maxMinutes: z
      .int({ error: whole('最长时长', '分钟') })
      .min(15, { error: '最长时长至少 15 分钟' })
      .max(720, { error: '最长时长不能超过 12 小时' }),
    serviceCommunityIds: z
      .array(z.uuid({ error: '服务社区选择有误' }))
      .min(1, { error: '请至少选择一个服务社区' }),
    responseHours: z
      .int({ error: whole('响应时限', '小时') })
      .min(1, { error: '响应时限至少 1 小时' })
      .max(168, { error: '响应时限不能超过 7 天' }),
    minServiceMinutes: z
      .int({ error: whole('最短服务时长', '分钟') })
      .min(0, { error: '最短服务时长不能为负' })
      .max(240, { error: '最短服务时长不能超过 4 小时' })
      .default(15),
    locationNote: z.string().trim().max(100, { error: '服务地点说明最多 100 字' }).default(''),
  })
  .refine((p) => p.maxMinutes >= p.expectedMinutes, {
    error: '最长时长不能少于预计时长',
    path: ['maxMinutes'],
  })
  .refine((p) => p.minServiceMinutes <= p.expectedMinutes, {
    error: '最短服务时长不能多于预计时长',
    path: ['minServiceMinutes'],
  });
export type ProjectInput = z.infer<typeof projectInput>;

export const projectStatusInput = z.object({
  action: z.enum(['publish', 'pause', 'archive'], { error: '不支持的操作' }),
});
