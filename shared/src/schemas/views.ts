// What the API answers, as zod schemas: the TypeScript side of every json
// object the SQL functions build. Strict, so a key renamed, added or dropped on
// one side only fails the api tests (tests/support/api-app.ts validates every
// answer against its route's schema, functions/src/http/responses.ts).
import { z } from 'zod';
import { SERVICE_CATEGORIES } from '../categories';
import { ORDER_STATUSES } from '../orders/order-status';
import { ORDER_ACTIONS, PROJECT_VIEW_ACTIONS } from '../orders/order-types';
import { REDEMPTION_STATUSES } from '../points/points';
import { PROJECT_STATUSES } from '../projects/project-status';
import { ROLES } from '../roles';

const categoryCodes = SERVICE_CATEGORIES.map((c) => c.code) as [
  (typeof SERVICE_CATEGORIES)[number]['code'],
  ...(typeof SERVICE_CATEGORIES)[number]['code'][],
];

/** A timestamp as Postgres writes it into json (ISO 8601 with an offset). */
export const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:\d{2})?|Z)$/);
const id = z.uuid();
const named = z.strictObject({ id, name: z.string() });
const skill = z.strictObject({ code: z.string(), name: z.string() });

export const timelineEventView = z.strictObject({
  action: z.string(),
  actorRole: z.enum(['resident', 'volunteer', 'staff', 'system']),
  actorName: z.string(),
  fromStatus: z.enum(ORDER_STATUSES).nullable(),
  toStatus: z.enum(ORDER_STATUSES),
  at: isoTime,
  hasLocation: z.boolean(),
  detail: z.record(z.string(), z.unknown()),
});

export const orderView = z.strictObject({
  id,
  status: z.enum(ORDER_STATUSES),
  projectId: id,
  projectTitle: z.string(),
  category: z.enum(categoryCodes),
  communityId: id,
  communityName: z.string(),
  windowStart: isoTime,
  windowEnd: isoTime,
  checkInOpensAt: isoTime,
  respondBy: isoTime,
  overdue: z.boolean(),
  widened: z.boolean(),
  address: z.string(),
  contactPhone: z.string(),
  contactVisible: z.boolean(),
  notes: z.string(),
  hasLocation: z.boolean(),
  residentId: id,
  residentName: z.string(),
  proxy: z.boolean(),
  orderedByName: z.string(),
  volunteerId: id.nullable(),
  volunteerName: z.string().nullable(),
  volunteerPhone: z.string().nullable(),
  pointsPerHour: z.number().int(),
  maxMinutes: z.number().int(),
  acceptedAt: isoTime.nullable(),
  checkedInAt: isoTime.nullable(),
  checkedOutAt: isoTime.nullable(),
  serviceMinutes: z.number().int().nullable(),
  completedAt: isoTime.nullable(),
  confirmedAt: isoTime.nullable(),
  autoConfirmed: z.boolean(),
  bonusPoints: z.number().int(),
  pointsAwarded: z.number().int(),
  pointsReversed: z.number().int(),
  pointsNote: z.string().nullable(),
  reviewStatus: z.enum(['pending', 'approved', 'rejected']).nullable(),
  /** How presence was proved at each step (code, location, or staff phoning the resident). */
  checkInMethod: z.enum(['code', 'location', 'staff']).nullable(),
  checkOutMethod: z.enum(['code', 'location', 'staff']).nullable(),
  rating: z.number().int().min(1).max(3).nullable(),
  ratingTags: z.array(z.string()).nullable(),
  ratingComment: z.string().nullable(),
  disputeReason: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  createdAt: isoTime,
  viewerKind: z.enum(['resident', 'staff', 'volunteer', 'candidate']),
  actions: z.array(z.enum(ORDER_ACTIONS)),
  timeline: z.array(timelineEventView).optional(),
});

export const offerView = orderView.extend({ offerId: id, offerExpiresAt: isoTime });

export const presenceCodeView = z.strictObject({
  code: z.string().regex(/^\d{6}$/),
  orderId: id,
  expiresAt: isoTime,
});

export const projectView = z.strictObject({
  id,
  communityId: id,
  communityName: z.string(),
  title: z.string(),
  category: z.enum(categoryCodes),
  description: z.string(),
  mode: z.enum(['visit', 'session']),
  pointsPerHour: z.number().int(),
  expectedMinutes: z.number().int(),
  maxMinutes: z.number().int(),
  minServiceMinutes: z.number().int(),
  responseHours: z.number().int(),
  locationNote: z.string(),
  status: z.enum(PROJECT_STATUSES),
  version: z.number().int(),
  updatedAt: isoTime,
  requiredSkills: z.array(skill),
  serviceCommunities: z.array(named),
  actions: z.array(z.enum(PROJECT_VIEW_ACTIONS)),
});

/**
 * A volunteer's own totals. Ratings are blind: only those already settled (in
 * batches of policy.ratingBatchSize), and only from policy.ratingMinShown up
 * (else null), so no single rating can be read off a change.
 */
export const volunteerSummaryView = z.strictObject({
  completedOrders: z.number().int(),
  serviceMinutes: z.number().int(),
  points: z.number().int(),
  /** 休息中 until this day (inclusive), or null. */
  pausedUntil: z.iso.date().nullable(),
  months: z.array(
    z.strictObject({
      month: z.string().regex(/^\d{4}-\d{2}$/),
      services: z.number().int(),
      minutes: z.number().int(),
      points: z.number().int(),
    }),
  ),
  ratings: z
    .strictObject({
      rated: z.number().int(),
      averageRating: z.number(),
      veryGood: z.number().int(),
      good: z.number().int(),
      fair: z.number().int(),
      tags: z.array(z.strictObject({ tag: z.string(), count: z.number().int() })),
    })
    .nullable(),
  /** What the volunteer may do now: edit the profile, pause or resume, get a certificate. */
  actions: z.array(z.enum(['edit_profile', 'pause', 'resume', 'certificate'])),
});

export const assignableVolunteerView = z.strictObject({
  id,
  name: z.string(),
  phone: z.string(),
  activeTasks: z.number().int(),
  completedTasks: z.number().int(),
  skills: z.array(z.string()),
});

export const residentMatchView = z.strictObject({
  id,
  name: z.string(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
});

export const ledgerEntryView = z.strictObject({
  transferId: z.number().int(),
  kind: z.enum(['earn', 'redeem', 'refund', 'adjust', 'reversal', 'rating', 'donate', 'wish']),
  amount: z.number().int(),
  memo: z.string(),
  at: isoTime,
  referenceType: z.string(),
  referenceId: z.string(),
  reversesTransferId: z.number().int().nullable(),
  reversed: z.boolean(),
});

export const walletView = z.strictObject({
  userId: id,
  name: z.string(),
  balance: z.number().int(),
  serviceMinutes: z.number().int(),
  serviceCount: z.number().int(),
  entries: z.array(ledgerEntryView),
});

export const goodsView = z.strictObject({
  id,
  communityId: id,
  name: z.string(),
  description: z.string(),
  photoUrl: z.string(),
  donor: z.string(),
  pricePoints: z.number().int(),
  monthlyLimit: z.number().int(),
  stock: z.number().int(),
  status: z.enum(['active', 'inactive']),
  version: z.number().int(),
  redeemedThisMonth: z.number().int().optional(),
});

export const redemptionView = z.strictObject({
  id,
  goodsId: id,
  goodsName: z.string(),
  volunteerId: id,
  volunteerName: z.string(),
  quantity: z.number().int(),
  points: z.number().int(),
  status: z.enum(REDEMPTION_STATUSES),
  pickupCode: z.string().nullable(),
  expiresAt: isoTime,
  pickedUpAt: isoTime.nullable(),
  createdAt: isoTime,
  actions: z.array(z.enum(['cancel', 'pick_up'])),
});

export const volunteerBalanceView = z.strictObject({
  id,
  name: z.string(),
  phone: z.string(),
  status: z.string(),
  balance: z.number().int(),
});

const roleGrant = z.strictObject({
  role: z.enum(ROLES),
  communityId: id.nullable(),
  streetId: id.nullable(),
});

export const sessionClaimsView = z.strictObject({ userId: id, roles: z.array(roleGrant) });
export const loginResultView = z.strictObject({
  token: z.string(),
  expiresAt: isoTime,
  session: sessionClaimsView,
});
export const authOptionsView = z.strictObject({ wechat: z.boolean(), demo: z.boolean() });
export const demoIdentityView = z.strictObject({
  key: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  communityName: z.string(),
});

/** Policy numbers (public.policies, keys in camelCase): text shows these, never copies. */
export const policyView = z.strictObject({
  orderNoticeMinutes: z.number().int(),
  orderHorizonDays: z.number().int(),
  openOrdersPerResident: z.number().int(),
  autoConfirmHours: z.number().int(),
  disputeDays: z.number().int(),
  pickupDays: z.number().int(),
  presenceCodeSeconds: z.number().int(),
  presenceMaxFailures: z.number().int(),
  presenceLockoutMinutes: z.number().int(),
  checkInRadiusM: z.number().int(),
  checkInLeadMinutes: z.number().int(),
  checkInLateMinutes: z.number().int(),
  offerWindowMinutes: z.number().int(),
  escalationStepMinutes: z.number().int(),
  escalationBonusPoints: z.number().int(),
  escalationMaxSteps: z.number().int(),
  escalationWidenAtStep: z.number().int(),
  escalationScarceCandidates: z.number().int(),
  idempotencyKeyHours: z.number().int(),
  rateReminderHours: z.number().int(),
  pickupReminderHours: z.number().int(),
  pickupMaxFailures: z.number().int(),
  pickupLockoutMinutes: z.number().int(),
  ratingBatchSize: z.number().int(),
  ratingMinShown: z.number().int(),
  uploadMaxKb: z.number().int(),
  needPhotosMax: z.number().int(),
  wishPointsMax: z.number().int(),
  wishDaysMax: z.number().int(),
  wishDonationMax: z.number().int(),
  sessionOfferMinutes: z.number().int(),
  childRetentionDays: z.number().int(),
  childConsentVersion: z.number().int(),
  childrenPerGuardian: z.number().int(),
  pickupContactsMax: z.number().int(),
});

export const meView = z.strictObject({
  id,
  name: z.string(),
  nickname: z.string(),
  realName: z.string().nullable(),
  phone: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  address: z.string().nullable(),
  elderMode: z.boolean(),
  home: z
    .strictObject({
      communityId: id,
      communityName: z.string(),
      servicePhone: z.string(),
      gridName: z.string().nullable(),
      streetName: z.string(),
    })
    .nullable(),
  roles: z.array(roleGrant.extend({ scopeName: z.string() })),
  volunteer: z
    .strictObject({
      status: z.enum(['pending', 'approved', 'rejected', 'suspended']),
      actions: z.array(z.enum(['take_tasks'])),
      communityName: z.string(),
      isPartyMember: z.boolean(),
      serviceRadiusM: z.number().int(),
      skills: z.array(skill),
    })
    .nullable(),
  staffCommunities: z.array(named.extend({ streetId: id })),
  policy: policyView,
});

export const communityChoiceView = z.strictObject({
  id,
  name: z.string(),
  streetId: id,
  streetName: z.string(),
  grids: z.array(named),
});

export const communityOverviewView = z.strictObject({
  communityId: id,
  communityName: z.string(),
  residents: z.number().int(),
  volunteers: z.number().int(),
  pendingVolunteers: z.number().int(),
  /** 居民求助 waiting for staff review, and how many of them are urgent. */
  needsToReview: z.number().int(),
  urgentNeeds: z.number().int(),
  staff: z.number().int(),
  /** Check-ins and check-outs of the last 30 days by proof: staff confirmations counted apart. */
  presence: z.strictObject({ code: z.number().int(), location: z.number().int(), staff: z.number().int() }),
  skills: z.array(z.strictObject({ code: z.string(), name: z.string(), volunteers: z.number().int() })),
});

export const healthView = z.strictObject({ ok: z.boolean(), db: z.enum(['up', 'down']) });

/** 消息: one notification as its recipient sees it; `page` is what tapping it opens. */
export const notificationView = z.strictObject({
  id: z.number().int(),
  event: z.string(),
  title: z.string(),
  body: z.string(),
  page: z.string().nullable(),
  createdAt: isoTime,
  read: z.boolean(),
});

export const inboxView = z.strictObject({ unread: z.number().int(), items: z.array(notificationView) });
export const unreadView = z.strictObject({ unread: z.number().int() });

/** 订阅消息: the credits one has now for each template just answered. */
export const subscriptionCreditsView = z.strictObject({ credits: z.record(z.string(), z.number().int()) });
/** For each natural tap of the app (order, offers, store), the template ids to ask requestSubscribeMessage for. */
export const subscribeTemplatesView = z.record(z.string(), z.array(z.string()).max(3));
export * from './subscriptions';

/** Small acknowledgements of writes that have no view of their own. */
export const acks = {
  elderMode: z.strictObject({ elderMode: z.boolean() }),
  declined: z.strictObject({ offerId: id, status: z.literal('declined') }),
  paired: z.strictObject({ residentId: id, volunteerId: id }),
  adjusted: z.strictObject({ transferId: z.number().int(), balance: z.number().int() }),
  reversed: z.strictObject({ transferId: z.number().int() }),
  tick: z.strictObject({
    autoConfirmed: z.number().int(),
    expiredRedemptions: z.number().int(),
    expiredKeys: z.number().int(),
    expiredOffers: z.number().int(),
    escalated: z.number().int(),
    offersMade: z.number().int(),
    lapsedClaims: z.number().int(),
    uncheckedNeeds: z.number().int(),
    notificationsSent: z.number().int(),
    erasedFiles: z.number().int(),
    expiredSessionOffers: z.number().int(),
    sessionOffersMade: z.number().int(),
    erasedChildren: z.number().int(),
  }),
};

/** The phone number WeChat verified (getPhoneNumber), now the person's own. */
export const myPhoneView = z.strictObject({ phone: z.string(), phoneMasked: z.string() });
/** 注销: the account is gone; a resend answers the same. */
export const accountDeletedView = z.strictObject({ deleted: z.literal(true), deletedAt: isoTime });
/** The body of POST /api/me/phone: the one-time code of `<Button openType="getPhoneNumber">`. */
export const phoneCodeBody = z.strictObject({
  code: z
    .string({ error: '缺少手机号授权码，请再点一次' })
    .regex(/^[A-Za-z0-9_-]{1,128}$/, { error: '手机号授权码不正确，请再点一次' }),
});
