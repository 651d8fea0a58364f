import type { Transitions } from '../state-machine';

export const ORDER_STATUSES = [
  'open',
  'accepted',
  'in_service',
  'completed',
  'disputed',
  'confirmed',
  'voided',
  'cancelled',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  open: '待接单',
  accepted: '已接单',
  in_service: '服务中',
  completed: '待评价',
  disputed: '有异议',
  confirmed: '已完成',
  voided: '已作废',
  cancelled: '已取消',
};

/**
 * 受理—派单—处置—反馈—评价 as a state machine. Defined once here; the SQL functions
 * enforce the same table (public.status_transitions, compared by tests/db).
 */
export const ORDER_TRANSITIONS = {
  accept: { from: ['open'], to: 'accepted' }, // 接单 by a volunteer
  assign: { from: ['open'], to: 'accepted' }, // 派单 by staff
  release: { from: ['accepted'], to: 'open' }, // handed back before service starts
  check_in: { from: ['accepted'], to: 'in_service' },
  check_out: { from: ['in_service'], to: 'completed' },
  confirm: { from: ['completed'], to: 'confirmed' }, // 评单 by the resident
  auto_confirm: { from: ['completed'], to: 'confirmed' }, // after 48 h unconfirmed
  dispute: { from: ['completed', 'confirmed'], to: 'disputed' }, // confirmed: within 7 days
  uphold: { from: ['disputed'], to: 'confirmed' }, // staff: the service did happen
  void: { from: ['disputed'], to: 'voided' }, // staff: it did not
  cancel: { from: ['open', 'accepted'], to: 'cancelled' },
} as const satisfies Transitions<OrderStatus>;
