import type {
  ApplyVolunteerInput,
  AssignableVolunteer,
  AuthOptions,
  CertificateCheck,
  CertificateSummary,
  CertificateView,
  CommunityChoice,
  CommunityOverview,
  ConfirmInput,
  DemoIdentity,
  ErrorBody,
  Goods,
  GoodsInput,
  InboxView,
  LoginResult,
  Me,
  NeedStatus,
  NeedView,
  OfferView,
  OrderView,
  PlaceOrderInput,
  PostNeedInput,
  PresenceCode,
  PresenceInput,
  Project,
  ProjectAction,
  ProjectInput,
  Redemption,
  ResidentMatch,
  ReviewNeedInput,
  ServiceRecordList,
  ServiceRecordView,
  SetHomeBody,
  SkillOption,
  UnreadView,
  UpdateVolunteerProfileInput,
  VolunteerApplication,
  VolunteerBalance,
  VolunteerSummary,
  Wallet,
  WishView,
} from '@llb/shared';
import Taro from '@tarojs/taro';
import { clearSession, loadSession } from './session';
import type { SubscriptionResults, SubscriptionTemplates } from './subscribe';

/** A failed API call, carrying the server's Chinese message ready to show. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A fresh idempotency key for one user action; its retries reuse it. */
export function newKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}-${Math.random().toString(36).slice(2, 12)}`;
}

type Response = Awaited<ReturnType<typeof Taro.request>>;

/** The full address of an API path (`/certificates/…/pdf`), for requests that are not json (files). */
export function apiUrl(path: string): string {
  return `${API_BASE}/api${path}`;
}

/** The full address of a path the server gave (`/api/uploads/…`), already starting with /api. */
export function serverUrl(path: string): string {
  return `${API_BASE}${path}`;
}

/** The signed-in session's authorization header, or none. */
export function authHeader(): Record<string, string> {
  const token = loadSession()?.token;
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function send(
  method: Method,
  path: string,
  data: object | undefined,
  key: string | null,
): Promise<Response> {
  return Taro.request({
    url: apiUrl(path),
    method,
    data,
    timeout: 15000,
    header: {
      'content-type': 'application/json',
      ...authHeader(),
      ...(key ? { 'idempotency-key': key } : {}),
    },
  });
}

/** `?from=…&to=…` for a period, leaving out what is not set. */
function periodQuery(period?: { from?: string; to?: string }): string {
  const parts = Object.entries(period ?? {})
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

async function request<T>(method: Method, path: string, data?: object): Promise<T> {
  // Writes carry one key across automatic retries: a resend after a dropped
  // connection replays the first answer instead of acting twice.
  const key = method === 'GET' ? null : newKey();
  let response: Response | null = null;
  for (let attempt = 0; attempt < 3 && !response; attempt++) {
    try {
      response = await send(method, path, data, key);
    } catch {
      if (attempt === 2) throw new ApiError('network', 0, '网络不太好，请检查网络后再试');
      await new Promise((resolve) => setTimeout(resolve, 800 * (attempt + 1)));
    }
  }
  if (!response) throw new ApiError('network', 0, '网络不太好，请检查网络后再试');
  if (response.statusCode >= 200 && response.statusCode < 300) return response.data as T;
  if (response.statusCode === 401) clearSession();
  const body = response.data as Partial<ErrorBody> | undefined;
  throw new ApiError(
    body?.error?.code ?? 'internal',
    response.statusCode,
    body?.error?.message ?? '系统出了点问题，请稍后再试',
  );
}

/** The only network layer of the mini-program. */
export const api = {
  authOptions: () => request<AuthOptions>('GET', '/auth/options'),
  demoIdentities: () => request<DemoIdentity[]>('GET', '/auth/demo-identities'),
  loginDemo: (identity: string) => request<LoginResult>('POST', '/auth/dev', { identity }),
  loginWechat: (code: string) => request<LoginResult>('POST', '/auth/wechat', { code }),
  me: () => request<Me>('GET', '/me'),
  setHome: (body: SetHomeBody) => request<LoginResult>('PUT', '/me/home', body),
  /** The code of `<Button openType="getPhoneNumber">`; the server asks WeChat for the number. */
  phoneFromWechat: (code: string) =>
    request<{ phone: string; phoneMasked: string }>('POST', '/me/phone', { code }),
  /** 注销: erases the account's personal data; the session ends. */
  deleteAccount: () => request<{ deleted: true; deletedAt: string }>('DELETE', '/me'),
  setElderMode: (elderMode: boolean) =>
    request<{ elderMode: boolean }>('PUT', '/me/preferences', { elderMode }),
  communities: () => request<CommunityChoice[]>('GET', '/communities'),

  /** 消息: newest first, a page at a time (`before` = the last id shown). */
  inbox: (before?: number) => request<InboxView>('GET', `/inbox${before ? `?before=${before}` : ''}`),
  unread: () => request<UnreadView>('GET', '/inbox/unread'),
  /** One notification read, or all of them without an id. */
  markRead: (id?: number) => request<UnreadView>('POST', '/inbox/read', id ? { id } : {}),
  subscriptionTemplates: () => request<SubscriptionTemplates>('GET', '/me/subscriptions/templates'),
  recordSubscriptions: (results: SubscriptionResults) =>
    request<unknown>('POST', '/me/subscriptions', { results }),
  communityOverview: (communityId: string) =>
    request<CommunityOverview>('GET', `/staff/communities/${communityId}/overview`),

  skills: () => request<SkillOption[]>('GET', '/skills'),
  menu: () => request<Project[]>('GET', '/menu'),
  project: (id: string) => request<Project>('GET', `/projects/${id}`),
  communityProjects: (communityId: string) =>
    request<Project[]>('GET', `/staff/communities/${communityId}/projects`),
  saveProject: (input: ProjectInput) =>
    input.id
      ? request<Project>('PUT', `/projects/${input.id}`, input)
      : request<Project>('POST', '/projects', input),
  changeProjectStatus: (id: string, action: ProjectAction) =>
    request<Project>('POST', `/projects/${id}/status`, { action }),

  placeOrder: (input: PlaceOrderInput) => request<OrderView>('POST', '/orders', input),
  myOrders: () => request<OrderView[]>('GET', '/orders/mine'),
  order: (id: string) => request<OrderView>('GET', `/orders/${id}`),
  presenceCode: (id: string) => request<PresenceCode>('GET', `/orders/${id}/presence-code`),
  cancelOrder: (id: string, reason = '') => request<OrderView>('POST', `/orders/${id}/cancel`, { reason }),
  confirmOrder: (id: string, input: ConfirmInput) =>
    request<OrderView>('POST', `/orders/${id}/confirm`, input),
  disputeOrder: (id: string, reason: string) =>
    request<OrderView>('POST', `/orders/${id}/dispute`, { reason }),

  taskHall: () => request<OrderView[]>('GET', '/tasks/hall'),
  myOffers: () => request<OfferView[]>('GET', '/offers/mine'),
  declineOffer: (offerId: string, reason: string) =>
    request('POST', `/offers/${offerId}/decline`, { reason }),
  pairVolunteer: (residentId: string, volunteerId: string) =>
    request('POST', '/staff/pairs', { residentId, volunteerId }),
  myTasks: () => request<OrderView[]>('GET', '/tasks/mine'),
  volunteerSummary: () => request<VolunteerSummary>('GET', '/volunteer/summary'),
  acceptOrder: (id: string) => request<OrderView>('POST', `/orders/${id}/accept`, {}),
  releaseOrder: (id: string, reason = '') => request<OrderView>('POST', `/orders/${id}/release`, { reason }),
  checkIn: (id: string, proof: PresenceInput) => request<OrderView>('POST', `/orders/${id}/check-in`, proof),
  checkOut: (id: string, proof: PresenceInput) =>
    request<OrderView>('POST', `/orders/${id}/check-out`, proof),

  communityOrders: (communityId: string, status?: string) =>
    request<OrderView[]>(
      'GET',
      `/staff/communities/${communityId}/orders${status ? `?status=${status}` : ''}`,
    ),
  assignableVolunteers: (orderId: string) =>
    request<AssignableVolunteer[]>('GET', `/staff/orders/${orderId}/volunteers`),
  assignOrder: (id: string, volunteerId: string) =>
    request<OrderView>('POST', `/orders/${id}/assign`, { volunteerId }),
  resolveDispute: (id: string, outcome: 'uphold' | 'void', note: string) =>
    request<OrderView>('POST', `/orders/${id}/resolve`, { outcome, note }),
  /** Staff decide a service held for review (shorter than the project's minimum). */
  reviewService: (id: string, outcome: 'approve' | 'reject', note: string) =>
    request<OrderView>('POST', `/orders/${id}/review`, { outcome, note }),
  /** 代下单: the projects this resident may order, as the server decides. */
  residentMenu: (residentId: string) => request<Project[]>('GET', `/staff/residents/${residentId}/menu`),
  findResidents: (communityId: string, q: string) =>
    request<ResidentMatch[]>('GET', `/staff/communities/${communityId}/residents?q=${encodeURIComponent(q)}`),

  wallet: () => request<Wallet>('GET', '/wallet'),
  goods: () => request<Goods[]>('GET', '/goods'),
  redeem: (goodsId: string, quantity: number) =>
    request<Redemption>('POST', `/goods/${goodsId}/redeem`, { quantity }),
  myRedemptions: () => request<Redemption[]>('GET', '/redemptions/mine'),
  cancelRedemption: (id: string) => request<Redemption>('POST', `/redemptions/${id}/cancel`, {}),
  communityGoods: (communityId: string) => request<Goods[]>('GET', `/staff/communities/${communityId}/goods`),
  saveGoods: (input: GoodsInput) =>
    input.id ? request<Goods>('PUT', `/goods/${input.id}`, input) : request<Goods>('POST', '/goods', input),
  addStock: (goodsId: string, quantity: number, note = '') =>
    request<Goods>('POST', `/goods/${goodsId}/stock`, { quantity, note }),
  pickUp: (communityId: string, code: string) =>
    request<Redemption>('POST', `/staff/communities/${communityId}/pickups`, { code }),
  communityVolunteers: (communityId: string) =>
    request<VolunteerBalance[]>('GET', `/staff/communities/${communityId}/volunteers`),
  personLedger: (userId: string) => request<Wallet>('GET', `/staff/people/${userId}/ledger`),
  adjustPoints: (userId: string, amount: number, reason: string) =>
    request<{ transferId: number; balance: number }>('POST', `/staff/people/${userId}/adjustments`, {
      amount,
      reason,
    }),
  reverseTransfer: (transferId: number, reason: string) =>
    request<{ transferId: number }>('POST', `/transfers/${transferId}/reverse`, { reason }),
  myApplication: () => request<VolunteerApplication | null>('GET', '/volunteer/application'),
  applyVolunteer: (input: ApplyVolunteerInput) =>
    request<VolunteerApplication>('POST', '/volunteer/application', input),
  applications: (communityId: string) =>
    request<VolunteerApplication[]>('GET', `/staff/communities/${communityId}/applications`),
  reviewVolunteer: (userId: string, decision: 'approve' | 'reject' | 'more_info', reason = '') =>
    request<VolunteerApplication>('POST', `/staff/volunteers/${userId}/review`, { decision, reason }),
  setSuspended: (userId: string, suspended: boolean, reason: string) =>
    request<VolunteerApplication>('POST', `/staff/volunteers/${userId}/standing`, { suspended, reason }),
  /** `proofUrl` is the proof staff looked at: refused if the volunteer replaced it meanwhile. */
  certifySkill: (
    userId: string,
    skill: string,
    certified: boolean,
    note = '',
    proofUrl: string | null = null,
  ) =>
    request<VolunteerApplication>('POST', `/staff/volunteers/${userId}/skills`, {
      skill,
      certified,
      note,
      proofUrl,
    }),

  /** A volunteer changes what they offer; licensed skills new or with a new proof go back to 待认证. */
  updateVolunteerProfile: (input: UpdateVolunteerProfileInput) =>
    request<VolunteerApplication>('POST', '/volunteer/profile', input),
  /** 休息中 through `until` (inclusive); null takes offers again from now. */
  pauseVolunteer: (until: string | null) => request<VolunteerSummary>('POST', '/volunteer/pause', { until }),
  myRecords: (period?: { from?: string; to?: string }) =>
    request<ServiceRecordList>('GET', `/volunteer/records${periodQuery(period)}`),
  myCertificates: () => request<CertificateSummary[]>('GET', '/volunteer/certificates'),
  issueCertificate: (from: string, to: string) =>
    request<CertificateView>('POST', '/volunteer/certificates', { from, to }),
  certificate: (id: string) => request<CertificateView>('GET', `/certificates/${id}`),
  /** Anyone, signed in or not: what a certificate's verification code shows. */
  verifyCertificate: (code: string) =>
    request<CertificateCheck>('GET', `/verify/${encodeURIComponent(code)}`),
  volunteerRecords: (userId: string, period?: { from?: string; to?: string }) =>
    request<ServiceRecordList>('GET', `/staff/volunteers/${userId}/records${periodQuery(period)}`),
  /** Staff correct a record with a new one (minutes 0 voids it); the old one stops counting. */
  correctRecord: (recordId: number, minutes: number, reason: string) =>
    request<ServiceRecordView>('POST', `/staff/service-records/${recordId}/corrections`, { minutes, reason }),
  volunteerCertificates: (userId: string) =>
    request<CertificateSummary[]>('GET', `/staff/volunteers/${userId}/certificates`),
  issueVolunteerCertificate: (userId: string, from: string, to: string) =>
    request<CertificateView>('POST', `/staff/volunteers/${userId}/certificates`, { from, to }),
  /** Staff confirm presence after phoning the resident: recorded with their name, counted apart. */
  staffPresence: (orderId: string, step: 'check_in' | 'check_out', note: string) =>
    request<OrderView>('POST', `/orders/${orderId}/staff-presence`, { step, note }),

  /** 我要求助 (staff post for a resident with residentId). */
  postNeed: (input: PostNeedInput) => request<NeedView>('POST', '/needs', input),
  myNeeds: () => request<NeedView[]>('GET', '/needs/mine'),
  need: (id: string) => request<NeedView>('GET', `/needs/${id}`),
  withdrawNeed: (id: string) => request<NeedView>('POST', `/needs/${id}/withdraw`, {}),
  /** Staff's queue: to review first, urgent first (the server's order). */
  communityNeeds: (communityId: string, status?: NeedStatus) =>
    request<NeedView[]>('GET', `/staff/communities/${communityId}/needs${status ? `?status=${status}` : ''}`),
  reviewNeed: (id: string, input: ReviewNeedInput) => request<NeedView>('POST', `/needs/${id}/review`, input),
  /** 社区事务: 处理中 or 已办结, each with a reply the resident reads. */
  updateCase: (caseId: string, status: 'in_progress' | 'closed', reply: string) =>
    request<NeedView>('POST', `/cases/${caseId}`, { status, reply }),

  /** 心愿墙: the wishes this viewer may see (neighbours' anonymised). */
  wishes: () => request<WishView[]>('GET', '/wishes'),
  wish: (id: string) => request<WishView>('GET', `/wishes/${id}`),
  claimWish: (id: string) => request<WishView>('POST', `/wishes/${id}/claim`, {}),
  releaseWish: (id: string, reason: string) => request<WishView>('POST', `/wishes/${id}/release`, { reason }),
  fulfilWish: (id: string, photoId: string, note: string) =>
    request<WishView>('POST', `/wishes/${id}/fulfil`, { photoId, note }),
  confirmWish: (id: string, rating: 1 | 2 | 3, comment: string) =>
    request<WishView>('POST', `/wishes/${id}/confirm`, { rating, comment }),
  donateToWish: (id: string, amount: number) => request<WishView>('POST', `/wishes/${id}/donate`, { amount }),
  withdrawWish: (id: string, reason: string) =>
    request<WishView>('POST', `/wishes/${id}/withdraw`, { reason }),
};
