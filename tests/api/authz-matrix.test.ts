// The authorization matrix: every route of the route table (RESPONSES) × nine
// actors × own and foreign objects. One table below (ALLOWED) says who may call
// each route for which object; everything else must be refused with 401/403/404
// in the error shape. Every answer is scanned for full phone numbers, addresses
// and ID numbers its viewer is not entitled to. Own objects belong to 阳光社区 of
// 幸福街道 (resident 王秀英, volunteer 李明), foreign ones to 康宁社区 of the second
// street, 安康街道 (resident 马桂兰, volunteer 郑伟).
import { createHash, randomUUID } from 'node:crypto';
import { type OrderView, RESPONSES, type RouteKey, type WishView } from '@llb/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, checkAnswer, demoToken, readAnswer } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MORE, OTHER_STREET, SEED } from '../support/ids';
import { checkIn, checkOut, createVolunteers, key, presenceCode, serviceLasted } from '../support/orders';
import { photoForm, testPhoto } from '../support/photo';
import { CONSENT, scheduleBody, sessionProject } from '../support/sessions';

const ACTORS = [
  'anonymous',
  'resident',
  'otherResident',
  'volunteer',
  'staff',
  'staffOtherCommunity',
  'staffOtherStreet',
  'admin',
  'adminOtherStreet',
] as const;
type Actor = (typeof ACTORS)[number];

const ACTOR_IDS: Record<Exclude<Actor, 'anonymous'>, { id: string; demo: string }> = {
  resident: { id: SEED.residentWang, demo: 'resident' },
  otherResident: { id: MORE.residentChen, demo: 'resident-chen' },
  volunteer: { id: SEED.volunteerLi, demo: 'volunteer' },
  staff: { id: SEED.staffZhang, demo: 'staff' },
  staffOtherCommunity: { id: SEED.staffWu, demo: 'staff-wu' },
  staffOtherStreet: { id: OTHER_STREET.staffHe, demo: 'staff-kang' },
  admin: { id: SEED.adminHuang, demo: 'street-admin' },
  adminOtherStreet: { id: OTHER_STREET.adminLin, demo: 'street-admin-kang' },
};

const EVERYONE: Actor[] = [...ACTORS];
const SIGNED_IN: Actor[] = ACTORS.filter((a) => a !== 'anonymous');
/** Staff and the street admin of the object's community: own objects ours, foreign ones the second street's. */
const COMMUNITY_STAFF = {
  own: ['staff', 'admin'],
  foreign: ['staffOtherStreet', 'adminOtherStreet'],
} as const;

/**
 * THE table: for each route, its objects and who may call it for each. `none` is a
 * route without an object. A route added to RESPONSES without an entry here fails.
 */
const ALLOWED: Record<RouteKey, Record<string, readonly Actor[]>> = {
  'GET /api/health': { none: EVERYONE },
  'GET /api/auth/options': { none: EVERYONE },
  // WeChat is not configured in this app: the route refuses everyone (auth.test.ts covers it configured).
  'POST /api/auth/wechat': { none: [] },
  'GET /api/auth/demo-identities': { none: EVERYONE },
  'POST /api/auth/dev': { none: EVERYONE },
  // No CRON_SECRET here: closed to everyone, tokens of people included.
  'GET /api/cron/tick': { none: [] },
  'GET /api/me': { none: SIGNED_IN },
  // The actor's own home community, chosen again (own), or one of the other street (foreign, never sent: it would move them).
  'PUT /api/me/home': { own: SIGNED_IN },
  'PUT /api/me/preferences': { none: SIGNED_IN },
  // Binding a phone needs WeChat's phone code: not configured in this app, refused for everyone.
  'POST /api/me/phone': { none: [] },
  // WeChat subscribe messages: each person's own credits and the template ids to ask for.
  'GET /api/me/subscriptions/templates': { none: SIGNED_IN },
  'POST /api/me/subscriptions': { none: SIGNED_IN },
  // Everyone may delete their own account: run last, each actor once (see the loop).
  'DELETE /api/me': { none: SIGNED_IN },
  'GET /api/communities': { none: SIGNED_IN },
  // 消息: each person's own inbox (marking all read: no object).
  'GET /api/inbox': { none: SIGNED_IN },
  'GET /api/inbox/unread': { none: SIGNED_IN },
  'POST /api/inbox/read': { none: SIGNED_IN },
  'GET /api/skills': { none: SIGNED_IN },
  'GET /api/menu': { none: SIGNED_IN },
  // A resident asking for their own menu by this path gets it: their own data.
  'GET /api/staff/residents/:residentId/menu': {
    own: ['resident', 'staff', 'admin'],
    foreign: COMMUNITY_STAFF.foreign,
  },
  'GET /api/projects/:projectId': {
    own: ['resident', 'otherResident', 'volunteer', 'staff', 'admin'],
    foreign: ['staffOtherStreet', 'adminOtherStreet'],
  },
  'GET /api/staff/communities/:communityId/projects': COMMUNITY_STAFF,
  'POST /api/projects': COMMUNITY_STAFF,
  'PUT /api/projects/:projectId': COMMUNITY_STAFF,
  'POST /api/projects/:projectId/status': COMMUNITY_STAFF,
  // Residents order for themselves from their community's menu; staff order for the object's resident (代下单).
  'POST /api/orders': {
    own: ['resident', 'otherResident', 'volunteer', 'staff', 'admin'],
    foreign: ['staffOtherStreet', 'adminOtherStreet'],
  },
  'GET /api/orders/mine': { none: SIGNED_IN },
  'GET /api/orders/:orderId': {
    own: ['resident', 'volunteer', 'staff', 'admin'],
    foreign: ['staffOtherStreet', 'adminOtherStreet'],
  },
  'GET /api/orders/:orderId/presence-code': { own: ['resident'], foreign: [] },
  'POST /api/orders/:orderId/cancel': {
    own: ['resident', 'staff', 'admin'],
    foreign: ['staffOtherStreet', 'adminOtherStreet'],
  },
  'POST /api/orders/:orderId/accept': { own: ['volunteer'], foreign: [] },
  // The volunteer hands it back, or staff take it back from them (release_order).
  'POST /api/orders/:orderId/release': {
    own: ['volunteer', 'staff', 'admin'],
    foreign: ['staffOtherStreet', 'adminOtherStreet'],
  },
  'POST /api/orders/:orderId/assign': COMMUNITY_STAFF,
  'POST /api/orders/:orderId/check-in': { own: ['volunteer'], foreign: [] },
  'POST /api/orders/:orderId/check-out': { own: ['volunteer'], foreign: [] },
  'POST /api/orders/:orderId/confirm': { own: ['resident'], foreign: [] },
  'POST /api/orders/:orderId/dispute': { own: ['resident'], foreign: [] },
  'POST /api/orders/:orderId/resolve': COMMUNITY_STAFF,
  'POST /api/orders/:orderId/review': COMMUNITY_STAFF,
  'GET /api/tasks/hall': { none: ['volunteer'] },
  // "Mine" lists answer anyone signed in with their own (for a non-volunteer, empty).
  'GET /api/tasks/mine': { none: SIGNED_IN },
  'GET /api/offers/mine': { none: SIGNED_IN },
  'POST /api/offers/:offerId/decline': { own: ['volunteer'], foreign: [] },
  'GET /api/volunteer/summary': { none: ['volunteer'] },
  // Pairs: own = 王秀英 + 李明, foreign = 马桂兰 + 郑伟; a resident with a volunteer of
  // another community or street may be paired by nobody.
  'POST /api/staff/pairs': { ...COMMUNITY_STAFF, otherCommunity: [], otherStreet: [] },
  'GET /api/staff/communities/:communityId/overview': COMMUNITY_STAFF,
  'GET /api/staff/communities/:communityId/orders': COMMUNITY_STAFF,
  'GET /api/staff/communities/:communityId/residents': COMMUNITY_STAFF,
  'GET /api/staff/orders/:orderId/volunteers': COMMUNITY_STAFF,
  'GET /api/wallet': { none: SIGNED_IN },
  'GET /api/goods': { none: ['volunteer'] },
  'POST /api/goods/:goodsId/redeem': { own: ['volunteer'], foreign: [] },
  'GET /api/redemptions/mine': { none: SIGNED_IN },
  'POST /api/redemptions/:redemptionId/cancel': { own: ['volunteer'], foreign: [] },
  'GET /api/staff/communities/:communityId/goods': COMMUNITY_STAFF,
  'POST /api/goods': COMMUNITY_STAFF,
  'PUT /api/goods/:goodsId': COMMUNITY_STAFF,
  'POST /api/goods/:goodsId/stock': COMMUNITY_STAFF,
  'GET /api/staff/communities/:communityId/redemptions': COMMUNITY_STAFF,
  'POST /api/staff/communities/:communityId/pickups': COMMUNITY_STAFF,
  'GET /api/staff/communities/:communityId/volunteers': COMMUNITY_STAFF,
  'GET /api/staff/people/:userId/ledger': COMMUNITY_STAFF,
  'POST /api/staff/people/:userId/adjustments': COMMUNITY_STAFF,
  'POST /api/transfers/:transferId/reverse': COMMUNITY_STAFF,
  // Anyone signed in may apply; a volunteer already, or someone without a home community, is told so (409).
  'POST /api/volunteer/application': { none: SIGNED_IN },
  'GET /api/volunteer/application': { none: SIGNED_IN },
  'GET /api/staff/communities/:communityId/applications': COMMUNITY_STAFF,
  'POST /api/staff/volunteers/:userId/review': COMMUNITY_STAFF,
  'POST /api/staff/volunteers/:userId/standing': COMMUNITY_STAFF,
  'POST /api/staff/volunteers/:userId/skills': COMMUNITY_STAFF,
  // A volunteer's own profile, rest days, records and certificates: the volunteer (others are told they are not one).
  'POST /api/volunteer/profile': { none: ['volunteer'] },
  'POST /api/volunteer/pause': { none: ['volunteer'] },
  'GET /api/volunteer/records': { none: ['volunteer'] },
  'GET /api/volunteer/certificates': { none: ['volunteer'] },
  'POST /api/volunteer/certificates': { none: ['volunteer'] },
  'GET /api/staff/volunteers/:userId/records': COMMUNITY_STAFF,
  'POST /api/staff/service-records/:recordId/corrections': COMMUNITY_STAFF,
  'GET /api/staff/volunteers/:userId/certificates': COMMUNITY_STAFF,
  'POST /api/staff/volunteers/:userId/certificates': COMMUNITY_STAFF,
  // A certificate: its volunteer (李明 for own ones) and staff of the issuing community.
  'GET /api/certificates/:certificateId': {
    own: ['volunteer', 'staff', 'admin'],
    foreign: [...COMMUNITY_STAFF.foreign],
  },
  'GET /api/certificates/:certificateId/pdf': {
    own: ['volunteer', 'staff', 'admin'],
    foreign: [...COMMUNITY_STAFF.foreign],
  },
  // The public check: anyone with the code.
  'GET /api/verify/:code': { own: EVERYONE, foreign: EVERYONE },
  'POST /api/orders/:orderId/staff-presence': COMMUNITY_STAFF,
  'POST /api/uploads': { none: SIGNED_IN },
  // A photo: its owner (李明 for own ones) and staff of the community they volunteer in.
  'GET /api/uploads/:uploadId': {
    own: ['volunteer', 'staff', 'admin'],
    foreign: [...COMMUNITY_STAFF.foreign],
  },
  // 需求: residents post (staff without a home are told to choose one: 400); a need is its
  // resident's and their community staff's; only the resident withdraws, only staff decide.
  'POST /api/needs': { none: ['resident', 'otherResident', 'volunteer'] },
  'GET /api/needs/mine': { none: SIGNED_IN },
  'GET /api/needs/:needId': { own: ['resident', 'staff', 'admin'], foreign: [...COMMUNITY_STAFF.foreign] },
  'POST /api/needs/:needId/withdraw': { own: ['resident'], foreign: [] },
  'GET /api/staff/communities/:communityId/needs': COMMUNITY_STAFF,
  'POST /api/needs/:needId/review': COMMUNITY_STAFF,
  'POST /api/cases/:caseId': COMMUNITY_STAFF,
  // 微心愿 (own: 王秀英's, public to 阳光社区): its resident, neighbours, volunteers and staff of the community.
  'GET /api/wishes': { none: SIGNED_IN },
  'GET /api/wishes/:wishId': {
    own: ['resident', 'otherResident', 'volunteer', 'staff', 'admin'],
    foreign: [...COMMUNITY_STAFF.foreign],
  },
  'POST /api/wishes/:wishId/claim': { own: ['volunteer'], foreign: [] },
  'POST /api/wishes/:wishId/release': { own: ['volunteer'], foreign: [] },
  'POST /api/wishes/:wishId/fulfil': { own: ['volunteer'], foreign: [] },
  'POST /api/wishes/:wishId/confirm': { own: ['resident'], foreign: [] },
  'POST /api/wishes/:wishId/donate': { own: ['otherResident', 'volunteer'], foreign: [] },
  'POST /api/wishes/:wishId/withdraw': COMMUNITY_STAFF,
  // WeChat's side: no push token in this app (closed to everyone); the media link needs WeChat's signature.
  'GET /api/wechat/events': { none: [] },
  'POST /api/wechat/events': { none: [] },
  'GET /api/media/:uploadId': { own: [], foreign: [] },
  // 四点半课堂: the menu and one's own children answer everyone signed in (staff: none of theirs).
  'GET /api/sessions': { none: SIGNED_IN },
  'GET /api/children': { none: SIGNED_IN },
  'PUT /api/session-projects/:projectId/schedule': COMMUNITY_STAFF,
  'GET /api/staff/session-projects/:projectId': COMMUNITY_STAFF,
  'POST /api/session-occurrences/:occurrenceId/cancel': COMMUNITY_STAFF,
  'GET /api/staff/session-occurrences/:occurrenceId/roster': COMMUNITY_STAFF,
  // Anyone with a home community registers their own children (staff and admins have none: 400).
  'POST /api/children': { none: ['resident', 'otherResident', 'volunteer'] },
  // A child (own: 王秀英's; foreign: 马桂兰's): its guardian, and staff of the guardian's community; only the guardian changes it.
  'GET /api/children/:childId': {
    own: ['resident', 'staff', 'admin'],
    foreign: [...COMMUNITY_STAFF.foreign],
  },
  'PUT /api/children/:childId': { own: ['resident'], foreign: [] },
  'DELETE /api/children/:childId': { own: ['resident'], foreign: [] },
  'POST /api/children/:childId/bookings': { own: ['resident'], foreign: [] },
  'POST /api/session-bookings/:bookingId/confirm': { own: ['resident'], foreign: [] },
  // The guardian, or staff of the class's community (on the phone with the guardian).
  'POST /api/session-bookings/:bookingId/cancel': {
    own: ['resident', 'staff', 'admin'],
    foreign: [...COMMUNITY_STAFF.foreign],
  },
};

/**
 * Refusals that are not 401/403/404 but still a clear "no" in the error shape, declared
 * per route: pairing with a volunteer of another community is a wrong choice in the
 * form (400 invalid_input). (Ordering from another community's menu is a 404: the
 * answer must not tell that the project exists.)
 */
const REFUSED_WITH: Partial<Record<RouteKey, string[]>> = {
  // Posting for oneself needs a home community; staff and admins have none.
  'POST /api/needs': ['invalid_input'],
  // So does registering a child.
  'POST /api/children': ['invalid_input'],
  'POST /api/staff/pairs': ['invalid_input'],
  // WeChat's phone code can't be used without WeChat configured.
  'POST /api/me/phone': ['conflict'],
};

/** Routes that never look at a session (their own secret or signature decides): a refusal there is not a 401. */
const NO_SESSION_ROUTES = new Set<RouteKey>([
  'GET /api/cron/tick',
  'POST /api/auth/wechat',
  'GET /api/wechat/events',
  'POST /api/wechat/events',
  'GET /api/media/:uploadId',
]);

/** An allowed caller refused for the state of things, not for who they are: a person with orders in progress can't leave yet. */
const BUSY_WITH: Partial<Record<RouteKey, string[]>> = {
  // A neighbour with no points yet can't give any.
  'POST /api/wishes/:wishId/donate': ['insufficient_points'],
  'DELETE /api/me': ['conflict'],
  'POST /api/volunteer/application': ['conflict'],
};

// ---------------------------------------------------------------- fixtures

interface Side {
  community: string;
  grid: string;
  resident: string;
  volunteer: string;
  staff: string;
  project: string;
  goods: string;
}

let t: TestDatabase;
let harness: ReturnType<typeof buildTestApp>;
const tokens: Partial<Record<Actor, string>> = {};
let OWN: Side;
let FOREIGN: Side;

/** People whose full phone and address must not reach the wrong eyes. */
const PEOPLE: { id: string; phone: string; address: string | null }[] = [];

/** Children the matrix registered: full name and pickup phone for the guardian and staff of the guardian's community only. */
const CHILDREN: { name: string; phone: string; guardian: string; community: string }[] = [];
/** Each side's session project (scheduled, published) and a child of its resident booked on it. */
const SESSION: Record<'own' | 'foreign', { project: string; child: string }> = {
  own: { project: '', child: '' },
  foreign: { project: '', child: '' },
};

let slot = 0;
/** Each order gets a window of its own, 2.5 hours after the previous one: no overlaps, no daily cap. */
const nextStart = () => 60 + 150 * slot++;
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

async function publish(side: { community: string; staff: string }): Promise<string> {
  const draft = await draftProject(side);
  await t.db.rpc('change_project_status', {
    p_actor: side.staff,
    p_project_id: draft,
    p_action: 'publish',
    p_key: key(),
  });
  return draft;
}

const projectBody = (community: string) => ({
  communityId: community,
  title: '手机使用上门教学',
  category: 'smart_elderly',
  description: '教老人用微信视频',
  requiredSkills: ['smartphone'],
  pointsPerHour: 10,
  expectedMinutes: 60,
  maxMinutes: 120,
  serviceCommunityIds: [community],
  responseHours: 24,
  locationNote: '上门服务',
});

async function draftProject(side: { community: string; staff: string }): Promise<string> {
  const p = await t.db.rpc<{ id: string }>('save_project', {
    p_actor: side.staff,
    p_key: key(),
    p_input: projectBody(side.community),
  });
  return p.id;
}

type OrderState = 'open' | 'accepted' | 'in_service' | 'completed' | 'review' | 'confirmed' | 'disputed';

async function orderIn(side: Side, state: OrderState): Promise<string> {
  const start = nextStart();
  const order = await t.db.rpc<OrderView>('place_order', {
    p_actor: side.resident,
    p_key: key(),
    p_input: {
      projectId: side.project,
      windowStart: minutesFromNow(start),
      windowEnd: minutesFromNow(start + 120),
    },
  });
  if (state === 'open') return order.id;
  await t.db.rpc('accept_order', { p_actor: side.volunteer, p_order_id: order.id, p_key: key() });
  if (state === 'accepted') return order.id;
  await checkIn(t, order.id, side.volunteer);
  if (state === 'in_service') return order.id;
  await checkOut(t, order.id, side.volunteer, { minutes: state === 'review' ? 5 : 60 });
  if (state === 'completed' || state === 'review') return order.id;
  await t.db.rpc('confirm_order', {
    p_actor: side.resident,
    p_order_id: order.id,
    p_rating: 2,
    p_tags: [],
    p_comment: '',
    p_key: key(),
  });
  if (state === 'confirmed') return order.id;
  await t.db.rpc('dispute_order', {
    p_actor: side.resident,
    p_order_id: order.id,
    p_reason: '服务时间不对',
    p_key: key(),
  });
  return order.id;
}

async function redemptionOf(side: Side): Promise<{ id: string; pickupCode: string }> {
  await t.db.rpc('adjust_points', {
    p_actor: side.staff,
    p_user_id: side.volunteer,
    p_amount: 10,
    p_reason: '测试发放',
    p_key: key(),
  });
  return t.db.rpc('redeem_goods', {
    p_actor: side.volunteer,
    p_goods_id: side.goods,
    p_quantity: 1,
    p_key: key(),
  });
}

async function goodsOf(side: Side): Promise<string> {
  const g = await t.db.rpc<{ id: string }>('save_goods', {
    p_actor: side.staff,
    p_key: key(),
    p_input: { communityId: side.community, name: '测试物品', pricePoints: 10, monthlyLimit: 100 },
  });
  await t.db.rpc('add_stock', {
    p_actor: side.staff,
    p_goods_id: g.id,
    p_quantity: 1000,
    p_note: '测试入库',
    p_key: key(),
  });
  return g.id;
}

async function offerTo(side: Side): Promise<string> {
  const orderId = await orderIn(side, 'open');
  const { rows } = await t.admin.query(
    `insert into public.dispatch_offers (order_id, volunteer_id, score, offered_at, expires_at)
     values ($1, $2, 1, now(), now() + interval '15 minutes') returning id`,
    [orderId, side.volunteer],
  );
  return rows[0].id;
}

// ---------------------------------------------------------------- the requests

interface Request {
  method: string;
  path: string;
  body?: unknown;
}

/** Undoes what a request did to an actor (not to an object) once its answer is in. */
let afterSend: (() => Promise<void>) | null = null;

const sideOf = (object: string): Side => (object === 'foreign' ? FOREIGN : OWN);

/** How to call each route as `actor` on `object`, fixtures made fresh where the call changes them. */
async function requestFor(route: RouteKey, object: string, actor: Actor): Promise<Request> {
  const [method, pattern] = route.split(' ') as [string, string];
  const side = sideOf(object);
  const at = (params: Record<string, string | number>, body?: unknown): Request => ({
    method,
    path: pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => String(params[name])),
    body,
  });
  switch (route) {
    case 'POST /api/auth/wechat':
      return at({}, { code: 'some-code' });
    case 'POST /api/auth/dev':
      return at({}, { identity: 'resident' });
    case 'PUT /api/me/home': {
      const id = actor === 'anonymous' ? SEED.residentWang : ACTOR_IDS[actor].id;
      const { rows } = await t.admin.query(
        "select community_id, grid_id from public.user_roles where user_id = $1 and role = 'resident'",
        [id],
      );
      const home = rows[0] ?? { community_id: SEED.sunshine, grid_id: null };
      // Someone without a home (staff, admins) gets one by this call: taken away again after it,
      // or they would be residents of 阳光社区 for the rest of the matrix.
      if (!rows[0] && actor !== 'anonymous') {
        afterSend = async () => {
          await t.admin.query("delete from public.user_roles where user_id = $1 and role = 'resident'", [id]);
        };
      }
      return at({}, { communityId: home.community_id, gridId: home.grid_id });
    }
    case 'POST /api/me/phone':
      return at({}, { code: 'some-phone-code' });
    case 'POST /api/me/subscriptions':
      return at({}, { results: {} });
    case 'POST /api/inbox/read':
      return at({}, {});
    case 'PUT /api/me/preferences':
      return at({}, { elderMode: false });
    case 'GET /api/staff/residents/:residentId/menu':
      return at({ residentId: side.resident });
    case 'GET /api/projects/:projectId':
      return at({ projectId: side.project });
    case 'GET /api/staff/communities/:communityId/projects':
    case 'GET /api/staff/communities/:communityId/overview':
    case 'GET /api/staff/communities/:communityId/orders':
    case 'GET /api/staff/communities/:communityId/residents':
    case 'GET /api/staff/communities/:communityId/goods':
    case 'GET /api/staff/communities/:communityId/redemptions':
    case 'GET /api/staff/communities/:communityId/volunteers':
      return at({ communityId: side.community });
    case 'POST /api/projects':
      return at({}, projectBody(side.community));
    case 'PUT /api/projects/:projectId':
      return at({ projectId: await draftProject(side) }, { ...projectBody(side.community), version: 1 });
    case 'POST /api/projects/:projectId/status':
      return at({ projectId: await draftProject(side) }, { action: 'publish' });
    case 'POST /api/orders': {
      const start = nextStart();
      const staffLike = actor.startsWith('staff') || actor.startsWith('admin');
      return at(
        {},
        {
          projectId: side.project,
          windowStart: minutesFromNow(start),
          windowEnd: minutesFromNow(start + 120),
          ...(staffLike ? { residentId: side.resident } : {}),
        },
      );
    }
    case 'GET /api/orders/:orderId':
    case 'GET /api/orders/:orderId/presence-code':
      return at({ orderId: await orderIn(side, 'accepted') });
    case 'POST /api/orders/:orderId/cancel':
      return at({ orderId: await orderIn(side, 'open') }, { reason: '不需要了' });
    case 'POST /api/orders/:orderId/accept':
      return at({ orderId: await orderIn(side, 'open') });
    case 'POST /api/orders/:orderId/release':
      return at({ orderId: await orderIn(side, 'accepted') }, { reason: '临时有事' });
    case 'POST /api/orders/:orderId/assign':
      return at({ orderId: await orderIn(side, 'open') }, { volunteerId: side.volunteer });
    case 'POST /api/orders/:orderId/check-in': {
      const orderId = await orderIn(side, 'accepted');
      await t.admin.query(
        `update public.orders set window_start = now() + interval '5 minutes',
           window_end = now() + interval '125 minutes' where id = $1`,
        [orderId],
      );
      return at({ orderId }, { method: 'code', code: await presenceCode(t.db, orderId, side.resident) });
    }
    case 'POST /api/orders/:orderId/check-out': {
      const orderId = await orderIn(side, 'in_service');
      await serviceLasted(t, orderId, 60);
      return at({ orderId }, { method: 'code', code: await presenceCode(t.db, orderId, side.resident) });
    }
    case 'POST /api/orders/:orderId/confirm':
      return at({ orderId: await orderIn(side, 'completed') }, { rating: 1, tags: [], comment: '' });
    case 'POST /api/orders/:orderId/dispute':
      return at({ orderId: await orderIn(side, 'confirmed') }, { reason: '服务时间不对' });
    case 'POST /api/orders/:orderId/resolve':
      return at({ orderId: await orderIn(side, 'disputed') }, { outcome: 'uphold', note: '已核实' });
    case 'POST /api/orders/:orderId/review':
      return at({ orderId: await orderIn(side, 'review') }, { outcome: 'approve', note: '' });
    case 'POST /api/offers/:offerId/decline':
      return at({ offerId: await offerTo(side) }, { reason: '没空' });
    case 'POST /api/staff/pairs': {
      const pair =
        object === 'otherCommunity'
          ? { residentId: SEED.residentWang, volunteerId: MORE.volunteerSun }
          : object === 'otherStreet'
            ? { residentId: SEED.residentWang, volunteerId: OTHER_STREET.volunteerZheng }
            : { residentId: side.resident, volunteerId: side.volunteer };
      return at({}, pair);
    }
    case 'GET /api/staff/orders/:orderId/volunteers':
      return at({ orderId: await orderIn(side, 'open') });
    case 'POST /api/goods/:goodsId/redeem':
      return at({ goodsId: side.goods }, { quantity: 1 });
    case 'POST /api/redemptions/:redemptionId/cancel':
      return at({ redemptionId: (await redemptionOf(side)).id });
    case 'POST /api/goods':
      return at({}, { communityId: side.community, name: '新捐物品', pricePoints: 5, monthlyLimit: 2 });
    case 'PUT /api/goods/:goodsId':
      return at(
        { goodsId: await goodsOf(side) },
        { communityId: side.community, name: '改名物品', pricePoints: 5, monthlyLimit: 2, version: 1 },
      );
    case 'POST /api/goods/:goodsId/stock':
      return at({ goodsId: side.goods }, { quantity: 1, note: '补货' });
    case 'POST /api/staff/communities/:communityId/pickups':
      return at({ communityId: side.community }, { code: (await redemptionOf(side)).pickupCode });
    case 'GET /api/staff/people/:userId/ledger':
      return at({ userId: side.volunteer });
    case 'POST /api/staff/people/:userId/adjustments':
      return at({ userId: side.volunteer }, { amount: 1, reason: '测试调整' });
    case 'POST /api/transfers/:transferId/reverse': {
      const adj = await t.db.rpc<{ transferId: number }>('adjust_points', {
        p_actor: side.staff,
        p_user_id: side.volunteer,
        p_amount: 1,
        p_reason: '测试发放',
        p_key: key(),
      });
      return at({ transferId: adj.transferId }, { reason: '发错了' });
    }
    case 'POST /api/volunteer/application': {
      const id = actor === 'anonymous' ? SEED.residentWang : ACTOR_IDS[actor].id;
      const { rows } = await t.admin.query('select 1 from public.volunteer_profiles where user_id = $1', [
        id,
      ]);
      if (!rows[0] && actor !== 'anonymous') {
        afterSend = async () => {
          for (const table of [
            'volunteer_status_events',
            'volunteer_skill_claims',
            'volunteer_availability',
          ]) {
            await t.admin.query(`delete from public.${table} where user_id = $1`, [id]);
          }
          await t.admin.query('delete from public.volunteer_profiles where user_id = $1', [id]);
        };
      }
      return at(
        {},
        {
          realName: '申请人',
          phone: PEOPLE.find((p) => p.id === id)?.phone ?? '13900000000',
          idNumber: '11010519491231002X',
          skills: [{ code: 'smartphone' }],
          availability: [{ weekday: 6, start: '09:00', end: '12:00' }],
          serviceRadiusM: 3000,
          pledge: true,
        },
      );
    }
    case 'GET /api/staff/communities/:communityId/applications':
      return at({ communityId: side.community });
    case 'POST /api/staff/volunteers/:userId/review':
      return at({ userId: await applicantIn(side) }, { decision: 'approve' });
    case 'POST /api/staff/volunteers/:userId/standing': {
      const [id] = await createVolunteers(t.admin, 1, { community: side.community, prefix: '暂停' });
      return at({ userId: id as string }, { suspended: true, reason: '测试暂停' });
    }
    case 'POST /api/staff/volunteers/:userId/skills': {
      const [id] = await createVolunteers(t.admin, 1, { community: side.community, prefix: '认证' });
      return at({ userId: id as string }, { skill: 'smartphone', certified: false, note: '测试撤销' });
    }
    case 'POST /api/volunteer/profile':
      return at(
        {},
        {
          skills: [{ code: 'smartphone' }, { code: 'companionship' }],
          availability: [],
          serviceRadiusM: 3000,
        },
      );
    case 'POST /api/volunteer/pause':
      // Resting would keep 李明 from offers for the rest of the matrix: back at once after.
      afterSend = async () => {
        await t.admin.query('update public.volunteer_profiles set paused_until = null where user_id = $1', [
          side.volunteer,
        ]);
      };
      return at({}, { until: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
    case 'POST /api/volunteer/certificates':
    case 'POST /api/staff/volunteers/:userId/certificates':
      await recordOf(side);
      return at({ userId: side.volunteer }, { from: '2020-01-01', to: today() });
    case 'GET /api/staff/volunteers/:userId/records':
    case 'GET /api/staff/volunteers/:userId/certificates':
      return at({ userId: side.volunteer });
    case 'POST /api/staff/service-records/:recordId/corrections':
      return at({ recordId: await recordOf(side) }, { minutes: 30, reason: '测试更正' });
    case 'GET /api/certificates/:certificateId':
    case 'GET /api/certificates/:certificateId/pdf':
      return at({ certificateId: (await certificateOf(side)).id });
    case 'GET /api/verify/:code':
      return at({ code: (await certificateOf(side)).verifyCode });
    case 'POST /api/uploads':
      return at({}, photoForm(testPhoto(++photoSeed)));
    case 'GET /api/uploads/:uploadId': {
      const photo = testPhoto(++photoSeed);
      const upload = await t.db.rpc<{ id: string; storageKey: string }>('save_upload', {
        p_actor: side.volunteer,
        p_purpose: 'skill_proof',
        p_mime: 'image/jpeg',
        p_size: photo.length,
        p_sha256: createHash('sha256').update(photo).digest('hex'),
      });
      await harness.files.put(upload.storageKey, photo, 'image/jpeg');
      return at({ uploadId: upload.id });
    }
    case 'POST /api/needs':
      return at({}, { body: '楼下的路灯坏了好几天了，晚上看不见路', visibility: 'neighbours' });
    case 'GET /api/needs/:needId':
      return at({ needId: await needOf(side) });
    case 'POST /api/needs/:needId/withdraw':
      return at({ needId: await needOf(side) });
    case 'POST /api/needs/:needId/review':
      return at({ needId: await needOf(side) }, { decision: 'decline', reason: '重复反映，已合并处理' });
    case 'POST /api/cases/:caseId':
      return at({ caseId: await caseOf(side) }, { status: 'in_progress', reply: '已联系物业，明天来修' });
    case 'GET /api/staff/communities/:communityId/needs':
      return at({ communityId: side.community });
    case 'GET /api/wishes/:wishId':
    case 'POST /api/wishes/:wishId/claim':
      return at({ wishId: await wishOf(side, 'open') });
    case 'POST /api/wishes/:wishId/donate':
      return at({ wishId: await wishOf(side, 'open') }, { amount: 1 });
    case 'POST /api/wishes/:wishId/release':
      return at({ wishId: await wishOf(side, 'claimed') }, { reason: '临时有事' });
    case 'POST /api/wishes/:wishId/fulfil': {
      const wishId = await wishOf(side, 'claimed');
      return at({ wishId }, { photoId: await photoOf(side.volunteer, 'wish_proof'), note: '已经送到了' });
    }
    case 'POST /api/wishes/:wishId/confirm':
      return at({ wishId: await wishOf(side, 'fulfilled') }, { rating: 3, comment: '' });
    case 'POST /api/wishes/:wishId/withdraw':
      return at({ wishId: await wishOf(side, 'open') }, { reason: '居民已经不需要了' });
    case 'GET /api/media/:uploadId':
      return at({ uploadId: await photoOf(side.resident, 'need_photo') });
    case 'POST /api/wechat/events':
      return at({}, { Event: 'wxa_media_check', trace_id: 'x', result: { suggest: 'pass' } });
    case 'POST /api/orders/:orderId/staff-presence':
      return at(
        { orderId: await orderIn(side, 'in_service') },
        { step: 'check_out', note: '已电话联系居民，确认服务结束' },
      );
    case 'PUT /api/session-projects/:projectId/schedule':
      return at({ projectId: await sessionDraftOf(side) }, scheduleBody());
    case 'GET /api/staff/session-projects/:projectId':
      return at({ projectId: sessionOf(object).project });
    case 'POST /api/session-occurrences/:occurrenceId/cancel':
      return at({ occurrenceId: await occurrenceOf(object, 'last') }, { reason: '场地临时维修' });
    case 'GET /api/staff/session-occurrences/:occurrenceId/roster':
      return at({ occurrenceId: await occurrenceOf(object, 'first') });
    case 'POST /api/children': {
      const id = actor === 'anonymous' ? SEED.residentWang : ACTOR_IDS[actor].id;
      const { rows } = await t.admin.query(
        "select community_id from public.user_roles where user_id = $1 and role = 'resident'",
        [id],
      );
      return at({}, childBody(registerChild(id, rows[0]?.community_id ?? SEED.sunshine)));
    }
    case 'GET /api/children/:childId':
      return at({ childId: sessionOf(object).child });
    case 'PUT /api/children/:childId': {
      const child = registerChild(side.resident, side.community);
      return at({ childId: await childOf(side, child) }, childBody(child));
    }
    case 'DELETE /api/children/:childId':
      return at({ childId: await childOf(side) });
    case 'POST /api/children/:childId/bookings':
      return at(
        { childId: await childOf(side) },
        {
          projectId: sessionOf(object).project,
          plan: 'dates',
          occurrenceIds: [await occurrenceOf(object, 'first')],
        },
      );
    case 'POST /api/session-bookings/:bookingId/confirm':
      return at({ bookingId: await bookingOf(side, object, 'offered') });
    case 'POST /api/session-bookings/:bookingId/cancel':
      return at({ bookingId: await bookingOf(side, object, 'booked') }, { scope: 'one' });
    default:
      return at({});
  }
}

let childSeed = 0;
const sessionOf = (object: string) => SESSION[object === 'foreign' ? 'foreign' : 'own'];

/** A child's name and pickup phone, unique in the run, registered for the leak scan. */
function registerChild(guardian: string, community: string) {
  childSeed += 1;
  const child = {
    name: `测试孩子${childSeed}号`,
    phone: `1770000${String(childSeed).padStart(4, '0')}`,
    guardian,
    community,
  };
  CHILDREN.push(child);
  return child;
}

const childBody = (child: { name: string; phone: string }) => ({
  name: child.name,
  grade: 3,
  school: '测试小学',
  allergies: '芒果过敏',
  pickupContacts: [{ name: '接送的外婆', relation: '外婆', phone: child.phone }],
  ...CONSENT,
});

/** A fresh child of the side's resident. */
async function childOf(side: Side, child = registerChild(side.resident, side.community)): Promise<string> {
  return (
    await t.db.rpc<{ id: string }>('add_child', {
      p_actor: side.resident,
      p_key: key(),
      p_input: childBody(child),
    })
  ).id;
}

/** The first class of the side's session (bookings go there), or the last one still scheduled (to be cancelled). */
async function occurrenceOf(object: string, which: 'first' | 'last'): Promise<string> {
  const { rows } = await t.admin.query(
    `select id from public.session_occurrences where project_id = $1 and status = 'scheduled'
     order by starts_at ${which === 'first' ? 'asc' : 'desc'} limit 1`,
    [sessionOf(object).project],
  );
  return rows[0].id;
}

/** A fresh child of the side's resident booked on the first class (offered: as if its turn came). */
async function bookingOf(side: Side, object: string, state: 'booked' | 'offered'): Promise<string> {
  const child = await t.db.rpc<{ bookings: { id: string }[] }>('book_session', {
    p_actor: side.resident,
    p_child_id: await childOf(side),
    p_project_id: sessionOf(object).project,
    p_occurrence_ids: [await occurrenceOf(object, 'first')],
    p_key: key(),
  });
  const id = child.bookings[0]?.id as string;
  if (state === 'offered') {
    await t.admin.query(
      "update public.session_bookings set status = 'offered', offer_expires_at = now() + interval '1 hour' where id = $1",
      [id],
    );
  }
  return id;
}

/** A session project of the side with no schedule yet. */
async function sessionDraftOf(side: Side): Promise<string> {
  const project = await t.db.rpc<{ id: string }>('save_project', {
    p_actor: side.staff,
    p_key: key(),
    p_input: {
      ...projectBody(side.community),
      title: '四点半课堂',
      category: 'after_school',
      mode: 'session',
    },
  });
  return project.id;
}

let photoSeed = 0;

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A fresh service record of the side's volunteer (a confirmed order), by its id. */
async function recordOf(side: Side): Promise<number> {
  const orderId = await orderIn(side, 'confirmed');
  const { rows } = await t.admin.query('select id from public.service_records where order_id = $1', [
    orderId,
  ]);
  return Number(rows[0].id);
}

/** A certificate of the side's volunteer, issued by themselves. */
async function certificateOf(side: Side): Promise<{ id: string; verifyCode: string }> {
  await recordOf(side);
  return t.db.rpc('issue_service_certificate', {
    p_actor: side.volunteer,
    p_volunteer_id: null,
    p_from: '2020-01-01',
    p_to: today(),
    p_key: key(),
  });
}

/** A fresh need of the side's resident waiting for staff review. */
async function needOf(side: Side): Promise<string> {
  const need = await t.db.rpc<{ id: string }>('post_need', {
    p_actor: side.resident,
    p_input: { body: '想找人帮忙把旧衣服送到回收点', visibility: 'neighbours', urgent: false },
    p_key: key(),
  });
  return need.id;
}

async function caseOf(side: Side): Promise<string> {
  const need = await t.db.rpc<{ case: { id: string } }>('review_need', {
    p_actor: side.staff,
    p_need_id: await needOf(side),
    p_decision: 'open_case',
    p_input: {},
    p_key: key(),
  });
  return need.case.id;
}

/** A photo of the person's, stored as the API stores one. */
async function photoOf(owner: string, purpose: string): Promise<string> {
  const photo = testPhoto(++photoSeed);
  const upload = await t.db.rpc<{ id: string; storageKey: string }>('save_upload', {
    p_actor: owner,
    p_purpose: purpose,
    p_mime: 'image/jpeg',
    p_size: photo.length,
    p_sha256: createHash('sha256').update(photo).digest('hex'),
  });
  await harness.files.put(upload.storageKey, photo, 'image/jpeg');
  return upload.id;
}

/** A 微心愿 of the side's resident, open, claimed by the side's volunteer, or fulfilled. */
async function wishOf(side: Side, state: 'open' | 'claimed' | 'fulfilled'): Promise<string> {
  const need = await t.db.rpc<{ wishId: string }>('review_need', {
    p_actor: side.staff,
    p_need_id: await needOf(side),
    p_decision: 'publish_wish',
    p_input: {
      title: '送旧衣服到回收点',
      description: '两袋旧衣服，送到小区门口的回收箱',
      points: 10,
      deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    },
    p_key: key(),
  });
  if (state === 'open') return need.wishId;
  await t.db.rpc('claim_wish', { p_actor: side.volunteer, p_wish_id: need.wishId, p_key: key() });
  if (state === 'claimed') return need.wishId;
  await t.db.rpc('fulfil_wish', {
    p_actor: side.volunteer,
    p_wish_id: need.wishId,
    p_photo_id: await photoOf(side.volunteer, 'wish_proof'),
    p_note: '已经送到了',
    p_key: key(),
  });
  return need.wishId;
}

/** A fresh application waiting for review in the side's community. */
async function applicantIn(side: Side): Promise<string> {
  const [id] = await createVolunteers(t.admin, 1, { community: side.community, prefix: '申请' });
  await t.admin.query(
    "update public.volunteer_profiles set status = 'pending', reviewed_by = null, reviewed_at = null where user_id = $1",
    [id],
  );
  return id as string;
}

async function send(actor: Actor, request: Request) {
  const form = request.body instanceof FormData;
  const headers: Record<string, string> = {
    ...(form ? {} : { 'content-type': 'application/json' }),
    'idempotency-key': randomUUID(),
  };
  const token = tokens[actor];
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await harness.app.request(request.path, {
    method: request.method,
    headers,
    body: form
      ? (request.body as FormData)
      : request.body === undefined
        ? undefined
        : JSON.stringify(request.body),
  });
  const body = await readAnswer(response);
  checkAnswer(request.method, request.path, response.status, body);
  return { status: response.status, body };
}

// ---------------------------------------------------------------- the leak scan

const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ID_NUMBER = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const ACTIVE = new Set(['accepted', 'in_service']);

interface Leak {
  route: RouteKey;
  actor: Actor;
  object: string;
  what: string;
}

let staffIds: Map<string, Set<string>>; // community id → staff and street admins of it

function personOf(value: string) {
  return PEOPLE.find((p) => p.phone === value || p.address === value);
}

/** What this viewer may see in full inside one order of this route's answer. */
function orderEntitlement(actor: Actor, route: RouteKey, order: OrderView): Set<string> {
  const viewer = actor === 'anonymous' ? null : ACTOR_IDS[actor].id;
  const allowed = new Set<string>();
  const staffRead =
    route === 'GET /api/orders/:orderId' && viewer && staffIds.get(order.communityId)?.has(viewer);
  const resident = PEOPLE.find((p) => p.id === order.residentId);
  const volunteer = PEOPLE.find((p) => p.id === order.volunteerId);
  const residentSees = viewer === order.residentId;
  const volunteerSees = viewer !== null && viewer === order.volunteerId && ACTIVE.has(order.status);
  if (resident && (residentSees || volunteerSees || staffRead)) {
    allowed.add(resident.phone);
    if (resident.address) allowed.add(resident.address);
  }
  if (volunteer && (viewer === volunteer.id || (residentSees && ACTIVE.has(order.status)) || staffRead)) {
    allowed.add(volunteer.phone);
  }
  return allowed;
}

/** A wish's resident's phone and address: for staff of its community and its claimer while claimed (the resident's own are in `base`). */
function wishEntitlement(actor: Actor, wish: WishView): Set<string> {
  const viewer = actor === 'anonymous' ? null : ACTOR_IDS[actor].id;
  const resident = PEOPLE.find(
    (p) => p.phone === wish.phone || (p.address !== null && p.address === wish.address),
  );
  const claimer = PEOPLE.find((p) => p.id === viewer);
  const entitled =
    (viewer !== null && staffIds.get(wish.communityId)?.has(viewer)) ||
    (wish.status === 'claimed' &&
      claimer !== undefined &&
      wish.claimerName !== null &&
      actor === 'volunteer');
  return new Set(
    entitled && resident ? [resident.phone, ...(resident.address ? [resident.address] : [])] : [],
  );
}

/** Whether this viewer may see a child's data: its guardian, or staff of the guardian's community. */
function childEntitled(actor: Actor, child: { guardian: string; community: string }): boolean {
  const viewer = actor === 'anonymous' ? null : ACTOR_IDS[actor].id;
  return (
    viewer !== null && (viewer === child.guardian || (staffIds.get(child.community)?.has(viewer) ?? false))
  );
}

function scan(route: RouteKey, object: string, actor: Actor, body: unknown, leaks: Leak[]) {
  const own = actor === 'anonymous' ? undefined : PEOPLE.find((p) => p.id === ACTOR_IDS[actor].id);
  const base = new Set<string>(own ? [own.phone, ...(own.address ? [own.address] : [])] : []);
  for (const child of CHILDREN) if (childEntitled(actor, child)) base.add(child.phone);
  const check = (raw: string, allowed: Set<string>, where: string) => {
    // Ids are random: eleven of a uuid's digits in a row can look like a phone number.
    const text = raw.replace(UUID, '<id>');
    for (const child of CHILDREN) {
      if (text.includes(child.name) && !childEntitled(actor, child))
        leaks.push({ route, actor, object, what: `${where}: name of child ${child.name}` });
    }
    for (const m of text.match(PHONE) ?? []) {
      if (!allowed.has(m))
        leaks.push({ route, actor, object, what: `${where}: phone ${m} of ${personOf(m)?.id ?? 'someone'}` });
    }
    for (const m of text.match(ID_NUMBER) ?? [])
      leaks.push({ route, actor, object, what: `${where}: ID number ${m}` });
    for (const p of PEOPLE) {
      if (p.address && text.includes(p.address) && !allowed.has(p.address))
        leaks.push({ route, actor, object, what: `${where}: address of ${p.id}` });
    }
  };
  const walk = (node: unknown, path: string) => {
    if (
      node &&
      typeof node === 'object' &&
      !Array.isArray(node) &&
      'contactPhone' in node &&
      'residentId' in node
    ) {
      const order = node as OrderView;
      const allowed = new Set([...base, ...orderEntitlement(actor, route, order)]);
      for (const [field, value] of Object.entries(order)) {
        check(JSON.stringify(value), allowed, `${path}${field} (order ${order.status})`);
      }
      return;
    }
    if (
      node &&
      typeof node === 'object' &&
      !Array.isArray(node) &&
      'needId' in node &&
      'claimerName' in node
    ) {
      const wish = node as WishView;
      const allowed = new Set([...base, ...wishEntitlement(actor, wish)]);
      for (const [field, value] of Object.entries(wish)) {
        check(JSON.stringify(value), allowed, `${path}${field} (wish ${wish.status})`);
      }
      return;
    }
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${path}[${i}].`);
    } else if (node && typeof node === 'object')
      for (const [field, value] of Object.entries(node)) walk(value, `${path}${field}.`);
    else if (typeof node === 'string') check(node, base, path.replace(/\.$/, ''));
  };
  walk(body, '');
}

// ---------------------------------------------------------------- setup

beforeAll(async () => {
  t = await createTestDatabase();
  harness = buildTestApp(t.db);
  // Room for the few hundred orders the matrix makes: a longer horizon, no open-order
  // limit in the way, and volunteers who may take an order every 2.5 hours.
  await t.admin.query(
    `update public.policies set value = case key when 'order_horizon_days' then 365
       when 'open_orders_per_resident' then 100000 end
     where key in ('order_horizon_days', 'open_orders_per_resident')`,
  );
  // And guardians who register a fresh child for every call about one.
  await t.admin.query("update public.policies set value = 100000 where key = 'children_per_guardian'");
  await t.admin.query('update public.volunteer_profiles set daily_cap = 10 where user_id = any($1::uuid[])', [
    [SEED.volunteerLi, OTHER_STREET.volunteerZheng],
  ]);
  for (const actor of SIGNED_IN) {
    tokens[actor] = await demoToken(harness.call, ACTOR_IDS[actor as Exclude<Actor, 'anonymous'>].demo);
  }
  const ownBase = {
    community: SEED.sunshine,
    grid: SEED.sunshineGrid1,
    resident: SEED.residentWang,
    volunteer: SEED.volunteerLi,
    staff: SEED.staffZhang,
  };
  const foreignBase = {
    community: OTHER_STREET.kangning,
    grid: OTHER_STREET.kangningGrid1,
    resident: OTHER_STREET.residentMa,
    volunteer: OTHER_STREET.volunteerZheng,
    staff: OTHER_STREET.staffHe,
  };
  OWN = { ...ownBase, project: await publish(ownBase), goods: '' };
  FOREIGN = { ...foreignBase, project: await publish(foreignBase), goods: '' };
  OWN.goods = await goodsOf(OWN);
  FOREIGN.goods = await goodsOf(FOREIGN);
  SESSION.own.project = (await sessionProject(t.db)).projectId;
  SESSION.foreign.project = (
    await sessionProject(t.db, { staff: OTHER_STREET.staffHe, community: OTHER_STREET.kangning })
  ).projectId;
  for (const [object, side] of [
    ['own', OWN],
    ['foreign', FOREIGN],
  ] as const) {
    SESSION[object].child = await childOf(side);
    await t.db.rpc('book_session', {
      p_actor: side.resident,
      p_child_id: SESSION[object].child,
      p_project_id: SESSION[object].project,
      p_occurrence_ids: null,
      p_key: key(),
    });
  }
  const people = await t.admin.query<{ id: string; phone: string; address: string | null }>(
    'select id, phone, address from public.users where phone is not null',
  );
  PEOPLE.push(...people.rows);
  const staff = await t.admin.query<{ community_id: string; user_id: string }>(
    `select c.id as community_id, r.user_id from public.communities c
     join public.user_roles r on (r.role = 'staff' and r.community_id = c.id)
       or (r.role = 'street_admin' and r.street_id = c.street_id)`,
  );
  staffIds = new Map();
  for (const row of staff.rows) {
    if (!staffIds.has(row.community_id)) staffIds.set(row.community_id, new Set());
    staffIds.get(row.community_id)?.add(row.user_id);
  }
}, 120_000);
afterAll(() => t?.close());

// ---------------------------------------------------------------- the matrix

describe('authorization matrix', () => {
  it('has an entry for every route of the route table, and none for a route that does not exist', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual(Object.keys(RESPONSES).sort());
  });

  it('logs the staff read of an order with the resident’s full contact, for staff of this and of the other street', async () => {
    for (const [actor, side] of [
      ['staff', () => OWN],
      ['adminOtherStreet', () => FOREIGN],
    ] as const) {
      const orderId = await orderIn(side(), 'accepted');
      const { status, body } = await send(actor, { method: 'GET', path: `/api/orders/${orderId}` });
      expect(status).toBe(200);
      const { rows } = await t.admin.query(
        'select count(*)::int as n from public.personal_data_access_log where order_id = $1 and viewer_id = $2',
        [orderId, ACTOR_IDS[actor].id],
      );
      if (body.contactVisible) expect(rows[0].n).toBeGreaterThanOrEqual(1);
    }
  });

  it('answers every route × actor × object as the table says, and never shows a viewer personal data they may not see', {
    timeout: 600_000,
  }, async () => {
    const started = Date.now();
    const mismatches: string[] = [];
    const leaks: Leak[] = [];
    let cases = 0;
    let requests = 0;
    const replays = await replayAfterCheckOut();
    // Deleting one's account goes last: the actors are needed until then.
    const routes = (Object.keys(RESPONSES) as RouteKey[]).sort(
      (a, b) => Number(a === 'DELETE /api/me') - Number(b === 'DELETE /api/me'),
    );
    for (const route of routes) {
      for (const [object, allowed] of Object.entries(ALLOWED[route] ?? {})) {
        for (const actor of ACTORS) {
          cases += 1;
          const request = await requestFor(route, object, actor);
          const { status, body } = await send(actor, request);
          requests += 1;
          await afterSend?.();
          afterSend = null;
          const may = allowed.includes(actor);
          const refused =
            [401, 403, 404].includes(status) ||
            (status < 500 && (REFUSED_WITH[route] ?? []).includes(body?.error?.code));
          const busy = status === 409 && (BUSY_WITH[route] ?? []).includes(body?.error?.code);
          const ok = may ? (status >= 200 && status < 300) || busy : refused;
          if (!ok) {
            mismatches.push(
              `${route} [${object}] as ${actor}: ${status} ${may ? '(allowed)' : '(not allowed)'} ${JSON.stringify(body).slice(0, 160)}`,
            );
          }
          if (actor === 'anonymous' && !may && status !== 401 && !NO_SESSION_ROUTES.has(route)) {
            mismatches.push(`${route} [${object}] as anonymous: ${status}, expected 401`);
          }
          scan(route, object, actor, body, leaks);
        }
      }
    }
    requests += replays.requests;
    leaks.push(...replays.leaks);
    console.log(
      `authz matrix: ${routes.length} routes × ${ACTORS.length} actors × own/foreign objects = ${cases} cases, ${requests} requests, ${mismatches.length} wrong answers, ${leaks.length} leaks, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect.soft(mismatches).toEqual([]);
    expect(leaks.map((l) => `${l.route} [${l.object}] as ${l.actor}: ${l.what}`)).toEqual([]);
  });
});

describe('the leak scan itself', () => {
  it('flags a resident’s full phone and address in an order shown to another resident, and an ID number anywhere', () => {
    const leaks: Leak[] = [];
    const wang = PEOPLE.find((p) => p.id === SEED.residentWang);
    const order = {
      residentId: SEED.residentWang,
      volunteerId: null,
      status: 'open',
      communityId: SEED.sunshine,
      contactPhone: wang?.phone,
      address: wang?.address,
    };
    scan('GET /api/orders/mine', 'self-test', 'otherResident', [order], leaks);
    scan('GET /api/me', 'self-test', 'resident', { note: '110101199003077777' }, leaks);
    expect(leaks.map((l) => l.what)).toEqual([
      expect.stringMatching(/contactPhone .*phone 13812341234/),
      expect.stringMatching(/address .*address of/),
      'note: ID number 110101199003077777',
    ]);
    scan('GET /api/orders/mine', 'self-test', 'resident', [order], leaks);
    expect(leaks).toHaveLength(3);
  });
});

describe('the leak scan of children', () => {
  it('flags a child’s full name and pickup phone shown to anyone but the guardian and staff of the guardian’s community', () => {
    const leaks: Leak[] = [];
    const child = registerChild(SEED.residentWang, SEED.sunshine);
    const view = {
      name: child.name,
      pickupContacts: [{ name: '外婆', relation: '外婆', phone: child.phone }],
    };
    scan('GET /api/children/:childId', 'self-test', 'otherResident', view, leaks);
    scan('GET /api/children/:childId', 'self-test', 'staffOtherCommunity', view, leaks);
    expect(leaks.map((l) => `${l.actor} ${l.what}`)).toEqual([
      `otherResident name: name of child ${child.name}`,
      expect.stringMatching(new RegExp(`^otherResident pickupContacts.*phone ${child.phone}`)),
      `staffOtherCommunity name: name of child ${child.name}`,
      expect.stringMatching(new RegExp(`^staffOtherCommunity pickupContacts.*phone ${child.phone}`)),
    ]);
    for (const entitled of ['resident', 'staff', 'admin'] as const) {
      scan('GET /api/children/:childId', 'self-test', entitled, view, leaks);
    }
    expect(leaks).toHaveLength(4);
  });
});

/** A resend of the accept and the check-in after check-out must not bring back full contact. */
async function replayAfterCheckOut(): Promise<{ requests: number; leaks: Leak[] }> {
  const leaks: Leak[] = [];
  const orderId = await orderIn(OWN, 'open');
  const acceptKey = randomUUID();
  const checkInKey = randomUUID();
  const post = async (path: string, idem: string, body?: unknown) => {
    const response = await harness.app.request(path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': idem,
        authorization: `Bearer ${tokens.volunteer}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  await post(`/api/orders/${orderId}/accept`, acceptKey);
  await t.admin.query(
    `update public.orders set window_start = now() + interval '5 minutes', window_end = now() + interval '125 minutes' where id = $1`,
    [orderId],
  );
  const checkInBody = { method: 'code', code: await presenceCode(t.db, orderId) };
  await post(`/api/orders/${orderId}/check-in`, checkInKey, checkInBody);
  await checkOut(t, orderId, SEED.volunteerLi);
  const accept = await post(`/api/orders/${orderId}/accept`, acceptKey);
  const again = await post(`/api/orders/${orderId}/check-in`, checkInKey, checkInBody);
  // Entitlement is judged as of the answer: the order is completed now, whatever the stored answer says.
  const now = (body: unknown) => (body && typeof body === 'object' ? { ...body, status: 'completed' } : body);
  scan('POST /api/orders/:orderId/accept', 'replay after check-out', 'volunteer', now(accept.body), leaks);
  scan('POST /api/orders/:orderId/check-in', 'replay after check-out', 'volunteer', now(again.body), leaks);
  return { requests: 4, leaks };
}
