import type { z } from 'zod';
import type {
  assignableVolunteerView,
  inboxView,
  notificationView,
  offerView,
  orderView,
  presenceCodeView,
  projectView,
  residentMatchView,
  timelineEventView,
  unreadView,
  volunteerSummaryView,
} from '../schemas/views';

/** Steps a viewer may take with an order now, as the server says (private.order_actions). */
export const ORDER_ACTIONS = [
  'accept',
  'check_in',
  'check_out',
  'show_presence_code',
  'confirm',
  'dispute',
  'review_service',
  'staff_check_in',
  'staff_check_out',
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
  /** Licensed work: a proof photo and staff certification. */
  licensed: boolean;
}

export type Project = z.infer<typeof projectView>;

/** Who is looking decides what an order shows (see private.order_json). */
export type ViewerKind = 'resident' | 'staff' | 'volunteer' | 'candidate';

export type TimelineEvent = z.infer<typeof timelineEventView>;

export type OrderView = z.infer<typeof orderView>;

/** An order offered to this volunteer (派单), with the time left to answer. */
export type OfferView = z.infer<typeof offerView>;

/** The resident's presence code; its QR text is presenceQr.encode(orderId, code). */
export type PresenceCode = z.infer<typeof presenceCodeView>;

export type VolunteerSummary = z.infer<typeof volunteerSummaryView>;

export type AssignableVolunteer = z.infer<typeof assignableVolunteerView>;

export type ResidentMatch = z.infer<typeof residentMatchView>;

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

export type NotificationView = z.infer<typeof notificationView>;
export type InboxView = z.infer<typeof inboxView>;
export type UnreadView = z.infer<typeof unreadView>;
