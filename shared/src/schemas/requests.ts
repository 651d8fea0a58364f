// What every route takes: the zod schema of its JSON body and of its query
// string, in one table. The routes read their schema from here
// (functions/src/http/parse.ts) and tests/api/fuzz.test.ts generates its
// malformed requests from it, so a new write route without an entry fails a test.
import { z } from 'zod';
import { devLoginBody, preferencesBody, setHomeBody, wechatLoginBody } from './auth';
import { inboxQuery, markReadBody } from './inbox';
import {
  caseUpdateInput,
  confirmWishInput,
  donateInput,
  fulfilWishInput,
  needListQuery,
  postNeedInput,
  reviewNeedInput,
  wishReasonInput,
} from './needs';
import {
  assignInput,
  confirmInput,
  disputeInput,
  orderListQuery,
  pairInput,
  placeOrderInput,
  presenceInput,
  reasonInput,
  resolveInput,
  reviewServiceInput,
} from './orders';
import { projectInput, projectStatusInput } from './projects';
import type { RouteKey } from './responses';
import {
  correctRecordInput,
  issueCertificateInput,
  recordPeriodQuery,
  staffPresenceInput,
} from './service-records';
import {
  bookSessionInput,
  cancelBookingInput,
  cancelOccurrenceInput,
  childInput,
  scheduleInput,
} from './sessions';
import { adjustInput, goodsInput, pickupInput, redeemInput, reverseInput, stockInput } from './store';
import { subscriptionResultsBody } from './subscriptions';
import { phoneCodeBody } from './views';
import {
  applyVolunteerInput,
  certifySkillInput,
  pauseVolunteerInput,
  reviewVolunteerInput,
  updateVolunteerProfileInput,
  volunteerStandingInput,
} from './volunteers';

/** Staff look a resident up by name or phone (代下单). */
export const residentQuery = z.object({
  q: z.string().trim().max(20, { error: '搜索内容太长了，最多 20 个字' }).default(''),
});

/** Staff's redemption filter. */
export const redemptionFilter = z.object({
  status: z.enum(['reserved', 'picked_up', 'cancelled', 'expired'], { error: '兑换状态不正确' }).optional(),
});

export interface RequestSpec {
  /** The JSON body's schema; null: the route takes no body (whatever is sent is ignored). */
  body?: z.ZodType | null;
  query?: z.ZodType;
}

export const REQUESTS = {
  'POST /api/auth/wechat': { body: wechatLoginBody },
  'POST /api/auth/dev': { body: devLoginBody },
  'PUT /api/me/home': { body: setHomeBody },
  'PUT /api/me/preferences': { body: preferencesBody },
  'POST /api/me/phone': { body: phoneCodeBody },
  'POST /api/me/subscriptions': { body: subscriptionResultsBody },
  'DELETE /api/me': { body: null },
  'GET /api/inbox': { query: inboxQuery },
  'POST /api/inbox/read': { body: markReadBody },
  'POST /api/projects': { body: projectInput },
  'PUT /api/projects/:projectId': { body: projectInput },
  'POST /api/projects/:projectId/status': { body: projectStatusInput },
  'POST /api/orders': { body: placeOrderInput },
  'POST /api/orders/:orderId/cancel': { body: reasonInput },
  'POST /api/orders/:orderId/accept': { body: null },
  'POST /api/orders/:orderId/release': { body: reasonInput },
  'POST /api/orders/:orderId/assign': { body: assignInput },
  'POST /api/orders/:orderId/check-in': { body: presenceInput },
  'POST /api/orders/:orderId/check-out': { body: presenceInput },
  'POST /api/orders/:orderId/confirm': { body: confirmInput },
  'POST /api/orders/:orderId/dispute': { body: disputeInput },
  'POST /api/orders/:orderId/resolve': { body: resolveInput },
  'POST /api/orders/:orderId/review': { body: reviewServiceInput },
  'POST /api/offers/:offerId/decline': { body: reasonInput },
  'POST /api/staff/pairs': { body: pairInput },
  'GET /api/staff/communities/:communityId/orders': { query: orderListQuery },
  'GET /api/staff/communities/:communityId/residents': { query: residentQuery },
  'POST /api/goods/:goodsId/redeem': { body: redeemInput },
  'POST /api/redemptions/:redemptionId/cancel': { body: null },
  'POST /api/goods': { body: goodsInput },
  'PUT /api/goods/:goodsId': { body: goodsInput },
  'POST /api/goods/:goodsId/stock': { body: stockInput },
  'GET /api/staff/communities/:communityId/redemptions': { query: redemptionFilter },
  'POST /api/staff/communities/:communityId/pickups': { body: pickupInput },
  'POST /api/staff/people/:userId/adjustments': { body: adjustInput },
  'POST /api/transfers/:transferId/reverse': { body: reverseInput },
  'POST /api/volunteer/application': { body: applyVolunteerInput },
  'POST /api/staff/volunteers/:userId/review': { body: reviewVolunteerInput },
  'POST /api/staff/volunteers/:userId/standing': { body: volunteerStandingInput },
  'POST /api/staff/volunteers/:userId/skills': { body: certifySkillInput },
  'POST /api/volunteer/profile': { body: updateVolunteerProfileInput },
  'POST /api/volunteer/pause': { body: pauseVolunteerInput },
  'GET /api/volunteer/records': { query: recordPeriodQuery },
  'GET /api/staff/volunteers/:userId/records': { query: recordPeriodQuery },
  'POST /api/staff/service-records/:recordId/corrections': { body: correctRecordInput },
  'POST /api/volunteer/certificates': { body: issueCertificateInput },
  'POST /api/staff/volunteers/:userId/certificates': { body: issueCertificateInput },
  'POST /api/orders/:orderId/staff-presence': { body: staffPresenceInput },
  // A photo as multipart `file`, not json: the route reads and checks it itself (routes/uploads.ts).
  'POST /api/uploads': { body: null },
  'POST /api/needs': { body: postNeedInput },
  'POST /api/needs/:needId/withdraw': { body: null },
  'GET /api/staff/communities/:communityId/needs': { query: needListQuery },
  'POST /api/needs/:needId/review': { body: reviewNeedInput },
  'POST /api/cases/:caseId': { body: caseUpdateInput },
  'POST /api/wishes/:wishId/claim': { body: null },
  'POST /api/wishes/:wishId/release': { body: wishReasonInput },
  'POST /api/wishes/:wishId/fulfil': { body: fulfilWishInput },
  'POST /api/wishes/:wishId/confirm': { body: confirmWishInput },
  'POST /api/wishes/:wishId/donate': { body: donateInput },
  'POST /api/wishes/:wishId/withdraw': { body: wishReasonInput },
  // WeChat's push: its own JSON, read by the route after the signature check.
  'POST /api/wechat/events': { body: null },
  'PUT /api/session-projects/:projectId/schedule': { body: scheduleInput },
  'POST /api/session-occurrences/:occurrenceId/cancel': { body: cancelOccurrenceInput },
  'POST /api/children': { body: childInput },
  'PUT /api/children/:childId': { body: childInput },
  'DELETE /api/children/:childId': { body: null },
  'POST /api/children/:childId/bookings': { body: bookSessionInput },
  'POST /api/session-bookings/:bookingId/confirm': { body: null },
  'POST /api/session-bookings/:bookingId/cancel': { body: cancelBookingInput },
} as const satisfies Partial<Record<RouteKey, RequestSpec>>;

export type RequestRoute = keyof typeof REQUESTS;
type Spec<K extends RequestRoute> = (typeof REQUESTS)[K];
export type BodyRoute = {
  [K in RequestRoute]: Spec<K> extends { body: z.ZodType } ? K : never;
}[RequestRoute];
export type QueryRoute = {
  [K in RequestRoute]: Spec<K> extends { query: z.ZodType } ? K : never;
}[RequestRoute];
export type BodyOf<K extends BodyRoute> =
  Spec<K> extends { body: infer S extends z.ZodType } ? z.infer<S> : never;
export type QueryOf<K extends QueryRoute> =
  Spec<K> extends { query: infer S extends z.ZodType } ? z.infer<S> : never;
