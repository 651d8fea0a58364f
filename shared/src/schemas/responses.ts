// Every route of the API with the schema of its successful answer: the table
// the api tests check each answer against (tests/support/api-app.ts), and
// tests/api/response-schemas.test.ts checks that no route is missing from it.
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { needView, wishView } from './needs';
import {
  certificateCheckView,
  certificateSummaryView,
  certificateView,
  serviceRecordListView,
  serviceRecordView,
} from './service-records';
import { childRemovedView, childView, sessionProjectView, sessionRosterView } from './sessions';
import {
  accountDeletedView,
  acks,
  assignableVolunteerView,
  authOptionsView,
  communityChoiceView,
  communityOverviewView,
  demoIdentityView,
  goodsView,
  healthView,
  inboxView,
  loginResultView,
  meView,
  myPhoneView,
  offerView,
  orderView,
  presenceCodeView,
  projectView,
  redemptionView,
  residentMatchView,
  subscribeTemplatesView,
  subscriptionCreditsView,
  unreadView,
  volunteerBalanceView,
  volunteerSummaryView,
  walletView,
} from './views';
import { uploadView, volunteerApplicationView } from './volunteers';

/** A route answering a file, not json (the api tests check its content type). */
export const pdfFile = z.instanceof(Uint8Array);
export const imageFile = z.instanceof(Uint8Array);
/** A plain-text answer (WeChat's push endpoint wants its words back). */
export const textAnswer = z.string();

const list = <T extends z.ZodType>(item: T) => z.array(item);

export const RESPONSES = {
  'GET /api/health': healthView,
  'GET /api/auth/options': authOptionsView,
  'POST /api/auth/wechat': loginResultView,
  'GET /api/auth/demo-identities': list(demoIdentityView),
  'POST /api/auth/dev': loginResultView,
  'GET /api/cron/tick': acks.tick,
  'GET /api/me': meView,
  'PUT /api/me/home': loginResultView,
  'PUT /api/me/preferences': acks.elderMode,
  'POST /api/me/subscriptions': subscriptionCreditsView,
  'GET /api/me/subscriptions/templates': subscribeTemplatesView,
  'POST /api/me/phone': myPhoneView,
  'DELETE /api/me': accountDeletedView,
  'GET /api/communities': list(communityChoiceView),
  'GET /api/inbox': inboxView,
  'GET /api/inbox/unread': unreadView,
  'POST /api/inbox/read': unreadView,
  'GET /api/skills': list(z.strictObject({ code: z.string(), name: z.string(), licensed: z.boolean() })),
  'GET /api/menu': list(projectView),
  'GET /api/staff/residents/:residentId/menu': list(projectView),
  'GET /api/projects/:projectId': projectView,
  'GET /api/staff/communities/:communityId/projects': list(projectView),
  'POST /api/projects': projectView,
  'PUT /api/projects/:projectId': projectView,
  'POST /api/projects/:projectId/status': projectView,
  'POST /api/orders': orderView,
  'GET /api/orders/mine': list(orderView),
  'GET /api/orders/:orderId': orderView,
  'GET /api/orders/:orderId/presence-code': presenceCodeView,
  'POST /api/orders/:orderId/cancel': orderView,
  'POST /api/orders/:orderId/accept': orderView,
  'POST /api/orders/:orderId/release': orderView,
  'POST /api/orders/:orderId/assign': orderView,
  'POST /api/orders/:orderId/check-in': orderView,
  'POST /api/orders/:orderId/check-out': orderView,
  'POST /api/orders/:orderId/confirm': orderView,
  'POST /api/orders/:orderId/dispute': orderView,
  'POST /api/orders/:orderId/resolve': orderView,
  'POST /api/orders/:orderId/review': orderView,
  'GET /api/tasks/hall': list(orderView),
  'GET /api/tasks/mine': list(orderView),
  'GET /api/offers/mine': list(offerView),
  'POST /api/offers/:offerId/decline': acks.declined,
  'GET /api/volunteer/summary': volunteerSummaryView,
  'POST /api/staff/pairs': acks.paired,
  'GET /api/staff/communities/:communityId/overview': communityOverviewView,
  'GET /api/staff/communities/:communityId/orders': list(orderView),
  'GET /api/staff/communities/:communityId/residents': list(residentMatchView),
  'GET /api/staff/orders/:orderId/volunteers': list(assignableVolunteerView),
  'GET /api/wallet': walletView,
  'GET /api/goods': list(goodsView),
  'POST /api/goods/:goodsId/redeem': redemptionView,
  'GET /api/redemptions/mine': list(redemptionView),
  'POST /api/redemptions/:redemptionId/cancel': redemptionView,
  'GET /api/staff/communities/:communityId/goods': list(goodsView),
  'POST /api/goods': goodsView,
  'PUT /api/goods/:goodsId': goodsView,
  'POST /api/goods/:goodsId/stock': goodsView,
  'GET /api/staff/communities/:communityId/redemptions': list(redemptionView),
  'POST /api/staff/communities/:communityId/pickups': redemptionView,
  'GET /api/staff/communities/:communityId/volunteers': list(volunteerBalanceView),
  'GET /api/staff/people/:userId/ledger': walletView,
  'POST /api/staff/people/:userId/adjustments': acks.adjusted,
  'POST /api/transfers/:transferId/reverse': acks.reversed,
  'POST /api/volunteer/application': volunteerApplicationView,
  'GET /api/volunteer/application': volunteerApplicationView.nullable(),
  'GET /api/staff/communities/:communityId/applications': list(volunteerApplicationView),
  'POST /api/staff/volunteers/:userId/review': volunteerApplicationView,
  'POST /api/staff/volunteers/:userId/standing': volunteerApplicationView,
  'POST /api/staff/volunteers/:userId/skills': volunteerApplicationView,
  'POST /api/volunteer/profile': volunteerApplicationView,
  'POST /api/volunteer/pause': volunteerSummaryView,
  'GET /api/volunteer/records': serviceRecordListView,
  'GET /api/staff/volunteers/:userId/records': serviceRecordListView,
  'POST /api/staff/service-records/:recordId/corrections': serviceRecordView,
  'GET /api/volunteer/certificates': list(certificateSummaryView),
  'POST /api/volunteer/certificates': certificateView,
  'GET /api/staff/volunteers/:userId/certificates': list(certificateSummaryView),
  'POST /api/staff/volunteers/:userId/certificates': certificateView,
  'GET /api/certificates/:certificateId': certificateView,
  'GET /api/certificates/:certificateId/pdf': pdfFile,
  'GET /api/verify/:code': certificateCheckView,
  'POST /api/orders/:orderId/staff-presence': orderView,
  'POST /api/uploads': uploadView,
  'GET /api/uploads/:uploadId': imageFile,
  'POST /api/needs': needView,
  'GET /api/needs/mine': list(needView),
  'GET /api/needs/:needId': needView,
  'POST /api/needs/:needId/withdraw': needView,
  'GET /api/staff/communities/:communityId/needs': list(needView),
  'POST /api/needs/:needId/review': needView,
  'POST /api/cases/:caseId': needView,
  'GET /api/wishes': list(wishView),
  'GET /api/wishes/:wishId': wishView,
  'POST /api/wishes/:wishId/claim': wishView,
  'POST /api/wishes/:wishId/release': wishView,
  'POST /api/wishes/:wishId/fulfil': wishView,
  'POST /api/wishes/:wishId/confirm': wishView,
  'POST /api/wishes/:wishId/donate': wishView,
  'POST /api/wishes/:wishId/withdraw': wishView,
  'GET /api/wechat/events': textAnswer,
  'POST /api/wechat/events': textAnswer,
  'GET /api/media/:uploadId': imageFile,
  'GET /api/sessions': list(sessionProjectView),
  'PUT /api/session-projects/:projectId/schedule': sessionProjectView,
  'GET /api/staff/session-projects/:projectId': sessionProjectView,
  'POST /api/session-occurrences/:occurrenceId/cancel': sessionProjectView,
  'GET /api/staff/session-occurrences/:occurrenceId/roster': sessionRosterView,
  'GET /api/children': list(childView),
  'POST /api/children': childView,
  'GET /api/children/:childId': childView,
  'PUT /api/children/:childId': childView,
  'DELETE /api/children/:childId': childRemovedView,
  'POST /api/children/:childId/bookings': childView,
  'POST /api/session-bookings/:bookingId/confirm': childView,
  'POST /api/session-bookings/:bookingId/cancel': childView,
} as const satisfies Record<string, z.ZodType>;

export type RouteKey = keyof typeof RESPONSES;

/** Every refusal: `{ error: { code, message } }` with a documented code and a message in Chinese. */
export const errorView = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]),
    message: z.string().regex(/[\u4e00-\u9fff]/, { error: 'the message is not Chinese' }),
  }),
});

/** The table entry of a request: its method and the route pattern its path matches. */
export function routeOf(method: string, path: string): RouteKey | null {
  const bare = path.split('?')[0] ?? '';
  for (const key of Object.keys(RESPONSES) as RouteKey[]) {
    const [m, pattern] = key.split(' ') as [string, string];
    if (m !== method.toUpperCase()) continue;
    const regex = new RegExp(`^${pattern.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    if (regex.test(bare)) return key;
  }
  return null;
}
