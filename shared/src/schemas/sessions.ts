// 四点半课堂: a session project's weekly schedule and its classes, the children a
// guardian registers (sensitive: only the guardian and staff see them), and their
// bookings and places in line. Views carry `actions`, decided by the SQL the writes
// check (supabase/migrations/20261125001000_create_sessions.sql).
import { z } from 'zod';
import { SERVICE_CATEGORIES } from '../categories';
import { PROJECT_STATUSES } from '../projects/project-status';
import { isoTime } from './views';

const id = z.uuid();
const int = z.number().int();
const day = z.iso.date();
const categoryCodes = SERVICE_CATEGORIES.map((c) => c.code) as [
  (typeof SERVICE_CATEGORIES)[number]['code'],
  ...(typeof SERVICE_CATEGORIES)[number]['code'][],
];

/** Grades a class may take: 一年级 (1) to 初三 (9). */
export const GRADE_LABELS: Record<number, string> = {
  1: '一年级',
  2: '二年级',
  3: '三年级',
  4: '四年级',
  5: '五年级',
  6: '六年级',
  7: '初一',
  8: '初二',
  9: '初三',
};

/** ISO weekdays as a timetable says them (1 = Monday). */
export const WEEKDAY_LABELS: Record<number, string> = {
  1: '周一',
  2: '周二',
  3: '周三',
  4: '周四',
  5: '周五',
  6: '周六',
  7: '周日',
};

export const BOOKING_STATUSES = [
  'booked',
  'waitlisted',
  'offered',
  'cancelled',
  'expired',
  'class_cancelled',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** How a booking's state reads (display only; what one may do comes from `actions`). */
export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  booked: '已报名',
  waitlisted: '候补中',
  offered: '候补到名额，待确认',
  cancelled: '已取消',
  expired: '已过期',
  class_cancelled: '停课',
};

const hhmm = (what: string) =>
  z.string({ error: `请填写${what}` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: `${what}格式如 16:30` });
const dateOf = (what: string) =>
  z.iso.date({ error: (issue) => (issue.input == null ? `请选择${what}` : `${what}不正确`) });
const whole = (what: string, min: number, max: number) =>
  z
    .int({ error: (issue) => (issue.input == null ? `请填写${what}` : `${what}须为整数`) })
    .min(min, { error: `${what}不能小于 ${min}` })
    .max(max, { error: `${what}不能大于 ${max}` });

/** The weekly schedule staff set for a session project (排课). */
export const scheduleInput = z
  .object({
    /** The version the form was loaded with; none for the first schedule. */
    version: z.int().positive().nullish(),
    weekdays: z
      .array(z.int({ error: '上课星期不正确' }).min(1).max(7, { error: '上课星期不正确' }), {
        error: '请选择每周哪几天上课',
      })
      .min(1, { error: '请选择每周哪几天上课' })
      .max(7, { error: '上课星期不正确' }),
    startTime: hhmm('上课时间'),
    endTime: hhmm('下课时间'),
    termStart: dateOf('学期开始日期'),
    termEnd: dateOf('学期结束日期'),
    skippedDates: z.array(dateOf('停课日期')).max(120, { error: '停课日期最多 120 个' }).default([]),
    place: z
      .string({ error: '请填写上课地点' })
      .trim()
      .min(2, { error: '上课地点至少 2 个字' })
      .max(100, { error: '上课地点最多 100 字' }),
    seats: whole('每次名额', 1, 200),
    gradeMin: whole('最低年级', 1, 9),
    gradeMax: whole('最高年级', 1, 9),
    tutorSlots: whole('辅导老师名额', 1, 20),
    childrenPerTutor: whole('每位老师最多带的孩子数', 1, 50),
    bookingDeadlineHours: whole('报名截止（开课前小时数）', 0, 168),
    cancelDeadlineHours: whole('取消截止（开课前小时数）', 0, 168),
  })
  .refine((s) => s.endTime > s.startTime, { error: '下课时间要晚于上课时间', path: ['endTime'] })
  .refine((s) => s.termEnd >= s.termStart, { error: '学期结束日期要在开始日期之后', path: ['termEnd'] })
  .refine((s) => s.gradeMin <= s.gradeMax, { error: '最低年级不能高于最高年级', path: ['gradeMax'] })
  .refine((s) => s.tutorSlots * s.childrenPerTutor >= s.seats, {
    error: '辅导老师名额不够：按每位老师最多带的孩子数，带不了这么多名额',
    path: ['tutorSlots'],
  });
export type ScheduleInput = z.infer<typeof scheduleInput>;

export const pickupContactInput = z.object({
  name: z
    .string({ error: '请填写接送人的姓名' })
    .trim()
    .min(1, { error: '请填写接送人的姓名' })
    .max(20, { error: '接送人姓名最多 20 个字' }),
  relation: z
    .string({ error: '请填写接送人与孩子的关系' })
    .trim()
    .min(1, { error: '请填写接送人与孩子的关系' })
    .max(10, { error: '关系最多 10 个字' }),
  phone: z
    .string({ error: '请填写接送人的手机号' })
    .regex(/^1[3-9]\d{9}$/, { error: '接送人的手机号不正确' }),
});

/**
 * A child as the guardian enters it (我的孩子). `consent` with the current
 * `consentVersion` (policy.childConsentVersion) is required the first time; on an edit
 * it records a new consent.
 */
export const childInput = z.object({
  name: z
    .string({ error: '请填写孩子的姓名' })
    .trim()
    .min(1, { error: '请填写孩子的姓名' })
    .max(20, { error: '孩子的姓名最多 20 个字' }),
  grade: whole('年级', 1, 9),
  school: z.string({ error: '学校须为文字' }).trim().max(40, { error: '学校名称最多 40 个字' }).default(''),
  allergies: z
    .string({ error: '过敏情况须为文字' })
    .trim()
    .max(200, { error: '过敏情况最多 200 字' })
    .default(''),
  healthNotes: z
    .string({ error: '健康情况须为文字' })
    .trim()
    .max(200, { error: '健康情况最多 200 字' })
    .default(''),
  pickupContacts: z
    .array(pickupContactInput, { error: '请登记接送人' })
    .min(1, { error: '请至少登记一位接送人（可以是您自己）' })
    .max(10, { error: '接送人太多了' }),
  consent: z.boolean({ error: '请勾选监护人同意' }).optional(),
  consentVersion: z.int({ error: '同意书版本不正确' }).positive({ error: '同意书版本不正确' }).optional(),
});
export type ChildInput = z.infer<typeof childInput>;

/** Book a child for every class still open this term, or for the dates chosen. */
export const bookSessionInput = z
  .object({
    projectId: z.uuid({ error: '请选择课堂' }),
    plan: z.enum(['term', 'dates'], { error: '请选择报整个学期还是选日期' }),
    occurrenceIds: z
      .array(z.uuid({ error: '上课日期选择有误' }))
      .max(100, { error: '一次最多选 100 次课' })
      .default([]),
  })
  .refine((b) => b.plan === 'term' || b.occurrenceIds.length > 0, {
    error: '请选择上课日期',
    path: ['occurrenceIds'],
  });
export type BookSessionInput = z.infer<typeof bookSessionInput>;

/** Cancel this class only, or this one and every later one of the same child and class. */
export const cancelBookingInput = z.object({
  scope: z.enum(['one', 'rest'], { error: '请选择取消这一次，还是这次及以后的课' }).default('one'),
});

export const cancelOccurrenceInput = z.object({
  reason: z
    .string({ error: '请写明停课原因' })
    .trim()
    .min(2, { error: '请写明停课原因（家长会看到）' })
    .max(200, { error: '停课原因最多 200 字' }),
});

export const sessionScheduleView = z.strictObject({
  version: int,
  weekdays: z.array(int),
  startTime: z.string(),
  endTime: z.string(),
  termStart: day,
  termEnd: day,
  skippedDates: z.array(day),
  place: z.string(),
  seats: int,
  gradeMin: int,
  gradeMax: int,
  tutorSlots: int,
  childrenPerTutor: int,
  /** Tutors a full class needs at the minimum ratio. */
  minTutors: int,
  bookingDeadlineHours: int,
  cancelDeadlineHours: int,
  updatedAt: isoTime,
});

/** One class with its seats (counts only, never who). */
export const sessionOccurrenceView = z.strictObject({
  id,
  projectId: id,
  date: day,
  startsAt: isoTime,
  endsAt: isoTime,
  status: z.enum(['scheduled', 'cancelled']),
  cancelReason: z.string().nullable(),
  seats: int,
  booked: int,
  offered: int,
  waitlisted: int,
  seatsLeft: int,
  bookingClosesAt: isoTime,
  cancelClosesAt: isoTime,
  actions: z.array(z.enum(['book', 'cancel', 'roster'])),
});

/** A session project: the menu's entry (classes to come) or the staff's term view (the whole term). */
export const sessionProjectView = z.strictObject({
  projectId: id,
  title: z.string(),
  description: z.string(),
  category: z.enum(categoryCodes),
  communityId: id,
  communityName: z.string(),
  projectStatus: z.enum(PROJECT_STATUSES),
  schedule: sessionScheduleView.nullable(),
  occurrences: z.array(sessionOccurrenceView),
  actions: z.array(z.enum(['book', 'edit_schedule'])),
});
export type SessionProjectView = z.infer<typeof sessionProjectView>;

export const sessionBookingView = z.strictObject({
  id,
  occurrenceId: id,
  projectId: id,
  projectTitle: z.string(),
  date: day,
  startsAt: isoTime,
  endsAt: isoTime,
  place: z.string(),
  plan: z.enum(['term', 'dates']),
  status: z.enum(BOOKING_STATUSES),
  /** 1 = next in line; null unless waitlisted. */
  waitlistPosition: int.nullable(),
  offerExpiresAt: isoTime.nullable(),
  cancelReason: z.string().nullable(),
  createdAt: isoTime,
  actions: z.array(z.enum(['confirm', 'cancel'])),
});

/** A child, to its guardian or staff (every staff read logged). */
export const childView = z.strictObject({
  id,
  name: z.string(),
  grade: int,
  school: z.string(),
  allergies: z.string(),
  healthNotes: z.string(),
  pickupContacts: z.array(z.strictObject({ id, name: z.string(), relation: z.string(), phone: z.string() })),
  guardianName: z.string(),
  communityId: id.nullable(),
  consentVersion: int,
  consentedAt: isoTime,
  createdAt: isoTime,
  updatedAt: isoTime,
  viewerKind: z.enum(['guardian', 'staff']),
  bookings: z.array(sessionBookingView),
  actions: z.array(z.enum(['edit', 'remove', 'book'])),
});
export type ChildView = z.infer<typeof childView>;

/** Who is on one class, for staff of its community (each child a logged read). */
export const sessionRosterView = z.strictObject({
  occurrence: sessionOccurrenceView,
  projectTitle: z.string(),
  place: z.string(),
  children: z.array(
    z.strictObject({
      bookingId: id,
      status: z.enum(['booked', 'waitlisted', 'offered']),
      waitlistPosition: int.nullable(),
      offerExpiresAt: isoTime.nullable(),
      childId: id,
      name: z.string(),
      grade: int,
      school: z.string(),
      allergies: z.string(),
      healthNotes: z.string(),
      guardianName: z.string(),
    }),
  ),
  /** Seats of children erased since (anonymised stubs). */
  erased: int,
});
export type SessionRosterView = z.infer<typeof sessionRosterView>;

/** A child erased at the guardian's request; a resend answers the same. */
export const childRemovedView = z.strictObject({
  childId: id,
  removed: z.literal(true),
  cancelledBookings: int,
});
