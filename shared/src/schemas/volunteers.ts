// 成为志愿者: the application a resident sends, staff's review, suspension and
// skill certification, and what both sides see of an application.
import { z } from 'zod';
import { isoTime } from './views';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** A mainland resident ID number (GB 11643): 18 characters whose last one checks the rest. */
export function isValidIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(value[i]), 0);
  return CHECK[sum % 11] === value[17];
}

/** The only form of an ID number anyone is shown: 1101**********1234. */
export function maskIdNumber(value: string): string {
  return `${value.slice(0, 4)}${'*'.repeat(10)}${value.slice(14)}`;
}

/** Where an uploaded photo is read back (POST /api/uploads answers it). */
export const UPLOAD_PATH = /^\/api\/uploads\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An uploaded photo. */
export const uploadView = z.strictObject({
  id: z.uuid(),
  url: z.string().regex(UPLOAD_PATH),
  mime: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  bytes: z.number().int(),
});
export type UploadView = z.infer<typeof uploadView>;

const hhmm = (message: string) =>
  z.string({ error: message }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: message });

export const availabilitySlot = z
  .object({
    weekday: z
      .int({ error: '请选择星期几' })
      .min(1, { error: '星期几不正确' })
      .max(7, { error: '星期几不正确' }),
    start: hhmm('开始时间请填成 09:00 这样'),
    end: hhmm('结束时间请填成 18:00 这样'),
  })
  .refine((s) => s.end > s.start, { error: '结束时间要晚于开始时间', path: ['end'] });

const skillsField = z
  .array(
    z.object({
      code: z.string({ error: '请选择专长' }).regex(/^[a-z_]{2,32}$/, { error: '专长不正确' }),
      proofUrl: z
        .union(
          [
            z.literal(''),
            z.string().regex(UPLOAD_PATH),
            z.url({ protocol: /^https$/, error: '资质证明照片的地址要以 https 开头' }),
          ],
          { error: '请重新上传资质证明照片' },
        )
        .default(''),
    }),
    { error: '请选择专长' },
  )
  .min(1, { error: '请至少选择一项专长' })
  .max(12, { error: '专长最多选 12 项' });
const availabilityField = z
  .array(availabilitySlot, { error: '请选择可服务时间' })
  .max(21, { error: '可服务时间最多 21 段' });
const radiusField = z
  .int({ error: '服务范围请填整数米数' })
  .min(100, { error: '服务范围至少 100 米' })
  .max(20000, { error: '服务范围最多 20 公里' });

/** The application form (成为志愿者). The ID number is encrypted by the API before SQL sees it. */
export const applyVolunteerInput = z
  .object({
    realName: z
      .string({ error: '请填写真实姓名' })
      .trim()
      .min(1, { error: '请填写真实姓名' })
      .max(32, { error: '姓名最多 32 字' }),
    phone: z
      .string({ error: '请填写手机号' })
      .trim()
      .regex(/^1[3-9]\d{9}$/, { error: '手机号请填 11 位数字' }),
    idNumber: z
      .string({ error: '请填写身份证号' })
      .trim()
      .transform((s) => s.toUpperCase())
      .refine(isValidIdNumber, { error: '身份证号不正确，请核对' }),
    skills: skillsField,
    availability: availabilityField,
    serviceRadiusM: radiusField,
    isPartyMember: z.boolean({ error: '请选择是否在职党员' }).default(false),
    employer: z.string().trim().max(40, { error: '工作单位最多 40 字' }).default(''),
    pledge: z.literal(true, { error: '请阅读并同意志愿者承诺' }),
  })
  .refine((o) => !o.isPartyMember || o.employer.length > 0, {
    error: '在职党员双报到请填写工作单位',
    path: ['employer'],
  });
export type ApplyVolunteerInput = z.infer<typeof applyVolunteerInput>;

/** What apply_volunteer reads: the form with the ID number replaced by its ciphertext and mask. */
export type ApplyVolunteerRecord = Omit<ApplyVolunteerInput, 'idNumber'> & {
  idNumberCipher: string;
  idNumberMasked: string;
};

export const reviewVolunteerInput = z.object({
  decision: z.enum(['approve', 'reject', 'more_info'], { error: '请选择审核结果' }),
  reason: z.string().trim().max(200, { error: '原因最多 200 字' }).default(''),
});

export const volunteerStandingInput = z.object({
  suspended: z.boolean({ error: '请选择暂停或恢复' }),
  reason: z.string().trim().min(1, { error: '请写明原因' }).max(200, { error: '原因最多 200 字' }),
});

export const certifySkillInput = z.object({
  skill: z.string({ error: '请选择专长' }).regex(/^[a-z_]{2,32}$/, { error: '专长不正确' }),
  certified: z.boolean({ error: '请选择认证或撤销' }),
  note: z.string().trim().max(200, { error: '说明最多 200 字' }).default(''),
  /** The proof staff looked at when certifying: refused if it was replaced meanwhile. */
  proofUrl: z.string().max(500, { error: '资质证明地址太长了' }).nullish(),
});

export const VOLUNTEER_REVIEW_STATES = ['pending', 'more_info', 'approved', 'rejected', 'suspended'] as const;

/** One application: the applicant's own (phone in full) or a reviewer's (phone masked). The ID number is always masked. */
export const volunteerApplicationView = z.strictObject({
  userId: z.uuid(),
  communityId: z.uuid(),
  communityName: z.string(),
  realName: z.string(),
  phone: z.string().nullable(),
  idNumberMasked: z
    .string()
    .regex(/^\d{4}\*{10}\d{3}[\dX]$/)
    .nullable(),
  isPartyMember: z.boolean(),
  employer: z.string().nullable(),
  serviceRadiusM: z.number().int(),
  status: z.enum(['pending', 'approved', 'rejected', 'suspended']),
  reviewState: z.enum(VOLUNTEER_REVIEW_STATES),
  reviewNote: z.string().nullable(),
  /** Steps staff may take now (reviewer's view only): private.volunteer_step_open. */
  actions: z.array(z.enum(['review', 'suspend', 'reinstate'])),
  appliedAt: isoTime.nullable(),
  reviewedAt: isoTime.nullable(),
  skills: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      licensed: z.boolean(),
      proofUrl: z.string().nullable(),
      status: z.enum(['pending', 'certified', 'revoked']),
      /** Steps staff may take with a licensed skill now (reviewer's view only). */
      actions: z.array(z.enum(['certify', 'revoke'])),
    }),
  ),
  availability: z.array(z.strictObject({ weekday: z.number().int(), start: z.string(), end: z.string() })),
});
export type VolunteerApplication = z.infer<typeof volunteerApplicationView>;

/** How a skill claim's state reads (display only; what staff may do comes from `actions`). */
export const SKILL_CLAIM_LABELS: Record<VolunteerApplication['skills'][number]['status'], string> = {
  pending: '待认证',
  certified: '已认证',
  revoked: '认证已撤销',
};

/** A volunteer edits what they offer. Licensed skills new or with a new proof go back to certification. */
export const updateVolunteerProfileInput = z.object({
  skills: skillsField,
  availability: availabilityField,
  serviceRadiusM: radiusField,
});
export type UpdateVolunteerProfileInput = z.infer<typeof updateVolunteerProfileInput>;

/** 休息中: no offers until the day after `until` (inclusive, Asia/Shanghai); null resumes now. */
export const pauseVolunteerInput = z.object({
  until: z.iso.date({ error: '请选择休息到哪一天' }).nullable(),
});
