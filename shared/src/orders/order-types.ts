import type { ServiceCategory } from '../categories';
import type { ProjectStatus } from '../projects/project-status';
import type { OrderStatus } from './order-status';

/** Steps a viewer may take with an order now, as the server says (private.order_actions). */
export const ORDER_ACTIONS = [
  'accept',
  'check_in',
  'check_out',
  'confirm',
  'dispute',
  'review_service',
  'assign',
  'uphold',
  'void',
  'release',
  'cancel',
] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

/** What staff may do with a project, or 'order' for a resident it serves (private.project_json). */
export const PROJECT_VIEW_ACTIONS = ['edit', 'publish', 'pause', 'archive', 'order'] as const;
export type ProjectViewAction = (typeof PROJECT_VIEW_ACTIONS)[number];

export interface SkillOption {
  code: string;
  name: string;
}

export interface Project {
  id: string;
  communityId: string;
  communityName: string;
  title: string;
  category: ServiceCategory;
  description: string;
  mode: 'visit' | 'session';
  pointsPerHour: number;
  expectedMinutes: number;
  maxMinutes: number;
  minServiceMinutes: number;
  responseHours: number;
  locationNote: string;
  status: ProjectStatus;
  version: number;
  updatedAt: string;
  requiredSkills: SkillOption[];
  serviceCommunities: { id: string; name: string }[];
  actions: ProjectViewAction[];
}

/** Who is looking decides what an order shows (see private.order_json). */
export type ViewerKind = 'resident' | 'staff' | 'volunteer' | 'candidate';

export interface TimelineEvent {
  action: string;
  actorRole: 'resident' | 'volunteer' | 'staff' | 'system';
  actorName: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  at: string;
  hasLocation: boolean;
  detail: Record<string, unknown>;
}

export interface OrderView {
  id: string;
  status: OrderStatus;
  projectId: string;
  projectTitle: string;
  category: ServiceCategory;
  communityId: string;
  communityName: string;
  windowStart: string;
  windowEnd: string;
  /** When the volunteer may check in (policy check_in_lead_minutes before the window). */
  checkInOpensAt: string;
  respondBy: string;
  overdue: boolean;
  /** Escalated to volunteers of the whole street. */
  widened: boolean;
  address: string;
  contactPhone: string;
  contactVisible: boolean;
  notes: string;
  hasLocation: boolean;
  residentId: string;
  residentName: string;
  proxy: boolean;
  orderedByName: string;
  volunteerId: string | null;
  volunteerName: string | null;
  volunteerPhone: string | null;
  pointsPerHour: number;
  maxMinutes: number;
  acceptedAt: string | null;
  checkedInAt: string | null;
  checkedOutAt: string | null;
  serviceMinutes: number | null;
  completedAt: string | null;
  confirmedAt: string | null;
  autoConfirmed: boolean;
  bonusPoints: number;
  pointsAwarded: number;
  pointsReversed: number;
  /** Why the points are zero or still to come (to the volunteer and staff), else null. */
  pointsNote: string | null;
  /** A service shorter than the project's minimum waits for staff (review_service). */
  reviewStatus: 'pending' | 'approved' | 'rejected' | null;
  rating: number | null;
  ratingTags: string[] | null;
  ratingComment: string | null;
  disputeReason: string | null;
  resolutionNote: string | null;
  createdAt: string;
  viewerKind: ViewerKind;
  actions: OrderAction[];
  timeline?: TimelineEvent[];
}

/** An order offered to this volunteer (派单), with the time left to answer. */
export type OfferView = OrderView & { offerId: string; offerExpiresAt: string };

/** The resident's presence code; its QR text is presenceQr.encode(orderId, code). */
export interface PresenceCode {
  code: string;
  orderId: string;
  expiresAt: string;
}

export interface VolunteerSummary {
  completedOrders: number;
  serviceMinutes: number;
  ratedOrders: number;
  averageRating: number | null;
  ratings: { veryGood: number; good: number; fair: number };
  tags: { tag: string; count: number }[];
}

export interface AssignableVolunteer {
  id: string;
  name: string;
  phone: string;
  activeTasks: number;
  completedTasks: number;
  skills: string[];
}

export interface ResidentMatch {
  id: string;
  name: string;
  phone: string;
  address: string;
}

export const TIMELINE_LABELS: Record<string, string> = {
  create: '下单',
  accept: '志愿者接单',
  assign: '社区派单',
  release: '退回订单',
  check_in: '到场签到',
  check_out: '服务结束签退',
  confirm: '居民确认并评价',
  auto_confirm: '居民没有评价，自动确认',
  review_service: '社区核实服务记录',
  dispute: '居民提出异议',
  uphold: '社区核实：服务属实',
  void: '社区核实：服务作废',
  cancel: '取消订单',
};
