// 志愿服务记录 and 志愿服务证明: the official record of each confirmed service
// (immutable; a correction is a new record naming the one it corrects), the
// certificate a volunteer or staff issue for a period, and what the public
// verify page shows. Fields follow 《志愿服务记录与证明出具办法》(民政部令第67号).
import { z } from 'zod';
import { isoTime } from './views';

const day = (message: string) =>
  z.iso.date({ error: message }).refine((s) => !Number.isNaN(Date.parse(s)), { error: message });

/** How the volunteer's presence was proved: the resident's code, location, or staff phoning the resident. */
export const PRESENCE_METHODS = ['code', 'location', 'staff'] as const;
export const PRESENCE_METHOD_LABELS: Record<(typeof PRESENCE_METHODS)[number], string> = {
  code: '居民验证码',
  location: '定位',
  staff: '社区电话核实',
};

export const serviceRecordView = z.strictObject({
  id: z.number().int(),
  orderId: z.uuid().nullable(),
  volunteerId: z.uuid(),
  volunteerName: z.string(),
  servedOn: z.iso.date(),
  startedAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  projectTitle: z.string(),
  content: z.string(),
  place: z.string(),
  minutes: z.number().int(),
  communityId: z.uuid(),
  communityName: z.string(),
  /** Who recorded it, in words: 居民确认 / 系统自动确认 / 社区工作人员 张敏. */
  recordedBy: z.string(),
  /** Presence proved by staff phoning the resident (counted separately in statistics). */
  staffConfirmedPresence: z.boolean(),
  correctsId: z.number().int().nullable(),
  correctionReason: z.string().nullable(),
  /** The record that corrects this one, when one does: then this one no longer counts. */
  correctedById: z.number().int().nullable(),
  effective: z.boolean(),
  createdAt: isoTime,
  /** What the viewer may do now: staff of the record's community may correct an effective record. */
  actions: z.array(z.enum(['correct'])),
});
export type ServiceRecordView = z.infer<typeof serviceRecordView>;

export const serviceRecordListView = z.strictObject({
  volunteerId: z.uuid(),
  volunteerName: z.string(),
  from: z.iso.date().nullable(),
  to: z.iso.date().nullable(),
  /** Effective records only count. */
  totalMinutes: z.number().int(),
  count: z.number().int(),
  records: z.array(serviceRecordView),
});
export type ServiceRecordList = z.infer<typeof serviceRecordListView>;

export const recordPeriodQuery = z
  .object({
    from: day('开始日期请填成 2026-01-01 这样').optional(),
    to: day('结束日期请填成 2026-12-31 这样').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: '开始日期不能晚于结束日期', path: ['to'] });

export const correctRecordInput = z.object({
  minutes: z
    .int({ error: '请填写更正后的分钟数' })
    .min(0, { error: '分钟数不能小于 0（0 表示这次服务作废）' })
    .max(720, { error: '一次服务最多 720 分钟' }),
  reason: z
    .string({ error: '请写明更正原因' })
    .trim()
    .min(2, { error: '请写明更正原因' })
    .max(200, { error: '原因最多 200 字' }),
});

export const issueCertificateInput = z
  .object({
    from: day('请选择开始日期'),
    to: day('请选择结束日期'),
  })
  .refine((q) => q.from <= q.to, { error: '开始日期不能晚于结束日期', path: ['to'] });

export const certificateView = z.strictObject({
  id: z.uuid(),
  serial: z.string(),
  verifyCode: z.string(),
  volunteerId: z.uuid(),
  volunteerName: z.string(),
  idNumberMasked: z.string().nullable(),
  volunteerNumber: z.string(),
  periodStart: z.iso.date(),
  periodEnd: z.iso.date(),
  totalMinutes: z.number().int(),
  serviceCount: z.number().int(),
  issuer: z.strictObject({
    id: z.uuid(),
    name: z.string(),
    streetName: z.string(),
    address: z.string(),
    phone: z.string(),
  }),
  handlerName: z.string(),
  issuedAt: isoTime,
  /** Every record it lists still stands (none corrected since). */
  valid: z.boolean(),
  records: z.array(serviceRecordView),
});
export type CertificateView = z.infer<typeof certificateView>;

export const certificateSummaryView = certificateView.omit({ records: true });
export type CertificateSummary = z.infer<typeof certificateSummaryView>;

/** What anyone with the verification code sees: no ID number, the name masked. */
export const certificateCheckView = z.strictObject({
  serial: z.string(),
  volunteerNameMasked: z.string(),
  periodStart: z.iso.date(),
  periodEnd: z.iso.date(),
  totalMinutes: z.number().int(),
  serviceCount: z.number().int(),
  issuerName: z.string(),
  issuedAt: isoTime,
  valid: z.boolean(),
});
export type CertificateCheck = z.infer<typeof certificateCheckView>;

export const verifyCodeParam = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[0-9A-F]{12}$/, { error: '验证码是 12 位数字和字母，请核对' }));

/** Staff confirm presence after phoning the resident: a third kind of proof, with a note. */
export const staffPresenceInput = z.object({
  step: z.enum(['check_in', 'check_out'], { error: '请选择确认到场还是确认离开' }),
  note: z
    .string({ error: '请写明核实情况' })
    .trim()
    .min(4, { error: '请写明核实情况，例如：已电话联系居民王阿姨，确认志愿者已到' })
    .max(200, { error: '说明最多 200 字' }),
});
