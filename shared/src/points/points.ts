import type { Transitions } from '../state-machine';

/** Rating factors in tenths: 很好 1.2, 好 1.0, 一般 0.8; an auto-confirmed order counts as 好. */
export const RATING_FACTOR_TENTHS: Record<1 | 2 | 3, number> = { 3: 12, 2: 10, 1: 8 };

export interface ServicePointsInput {
  minutes: number;
  pointsPerHour: number;
  rating: 1 | 2 | 3 | null;
  bonus?: number;
}

/**
 * Points for one confirmed service: hours × project rate × rating factor, rounded
 * half up to whole points, plus any bonus. Integer arithmetic, so SQL
 * (private.service_points) computes exactly the same number.
 */
export function servicePoints({ minutes, pointsPerHour, rating, bonus = 0 }: ServicePointsInput): number {
  const factor = rating ? RATING_FACTOR_TENTHS[rating] : 10;
  return Math.floor((minutes * pointsPerHour * factor + 300) / 600) + bonus;
}

export const REDEMPTION_STATUSES = ['reserved', 'picked_up', 'cancelled', 'expired'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

export const REDEMPTION_STATUS_LABELS: Record<RedemptionStatus, string> = {
  reserved: '待领取',
  picked_up: '已领取',
  cancelled: '已取消',
  expired: '已过期',
};

/** A redemption's life: reserved until staff hand it over (核销), the volunteer cancels, or 7 days pass. */
export const REDEMPTION_TRANSITIONS = {
  pick_up: { from: ['reserved'], to: 'picked_up' },
  cancel: { from: ['reserved'], to: 'cancelled' },
  expire: { from: ['reserved'], to: 'expired' },
} as const satisfies Transitions<RedemptionStatus>;

export const TRANSFER_KIND_LABELS: Record<string, string> = {
  earn: '服务获得',
  redeem: '兑换物品',
  refund: '兑换退回',
  adjust: '社区调整',
  reversal: '撤销更正',
  rating: '评价结算',
  donate: '捐给微心愿',
  wish: '微心愿奖励',
};

/**
 * The rating part of one service's points: what 很好 adds or 一般 takes off
 * against the 好 factor every service is first credited at. Settled per
 * volunteer in batches (private.settle_ratings) so no rating shows alone.
 */
export function ratingShare(input: Omit<ServicePointsInput, 'bonus'>): number {
  return servicePoints({ ...input, bonus: 0 }) - servicePoints({ ...input, rating: 2, bonus: 0 });
}
