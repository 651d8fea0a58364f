import {
  CASE_STATUS_LABELS,
  type Goods,
  NEED_STATUS_LABELS,
  type NeedStatus,
  ORDER_STATUS_LABELS,
  type OrderStatus,
  PROJECT_STATUS_LABELS,
  type ProjectStatus,
  REDEMPTION_STATUS_LABELS,
  type RedemptionStatus,
  WISH_STATUS_LABELS,
  type WishView,
} from '@llb/shared';
import { Text } from '@tarojs/components';
import type { ReactNode } from 'react';
import './components.css';
import './tag.css';

/** The five kinds of state every list shows: one colour each, and always the words too. */
export type TagFamily = 'waiting' | 'active' | 'done' | 'problem' | 'ended';

/** A status in words on the colour of its family (colour is never the only cue). */
export function Tag({
  family,
  children,
  className = '',
}: {
  family: TagFamily;
  children: ReactNode;
  className?: string;
}) {
  return <Text className={`status-tag tag tag-${family} ${className}`}>{children}</Text>;
}

const ORDER_FAMILIES: Record<OrderStatus, TagFamily> = {
  open: 'waiting',
  accepted: 'active',
  in_service: 'active',
  completed: 'waiting',
  disputed: 'problem',
  confirmed: 'done',
  voided: 'ended',
  cancelled: 'ended',
};

export function OrderTag({ status, overdue = false }: { status: OrderStatus; overdue?: boolean }) {
  if (overdue) return <Tag family="problem">超时未接</Tag>;
  return <Tag family={ORDER_FAMILIES[status]}>{ORDER_STATUS_LABELS[status]}</Tag>;
}

const PROJECT_FAMILIES: Record<ProjectStatus, TagFamily> = {
  draft: 'waiting',
  published: 'active',
  paused: 'problem',
  archived: 'ended',
};

export function ProjectTag({ status }: { status: ProjectStatus }) {
  return (
    <Tag family={PROJECT_FAMILIES[status]} className="project-status">
      {PROJECT_STATUS_LABELS[status]}
    </Tag>
  );
}

const REDEMPTION_FAMILIES: Record<RedemptionStatus, TagFamily> = {
  reserved: 'waiting',
  picked_up: 'done',
  cancelled: 'ended',
  expired: 'ended',
};

export function RedemptionTag({ status }: { status: RedemptionStatus }) {
  return <Tag family={REDEMPTION_FAMILIES[status]}>{REDEMPTION_STATUS_LABELS[status]}</Tag>;
}

const GOODS_STATUS: Record<Goods['status'], { label: string; family: TagFamily }> = {
  active: { label: '上架中', family: 'active' },
  inactive: { label: '已下架', family: 'ended' },
};

export function GoodsTag({ status }: { status: Goods['status'] }) {
  return <Tag family={GOODS_STATUS[status].family}>{GOODS_STATUS[status].label}</Tag>;
}

/** A volunteer's standing (volunteer_profiles.status). */
export const VOLUNTEER_STATUS: Record<string, { label: string; family: TagFamily }> = {
  pending: { label: '待审核', family: 'waiting' },
  approved: { label: '已认证', family: 'done' },
  rejected: { label: '未通过审核', family: 'problem' },
  suspended: { label: '已暂停服务', family: 'ended' },
};

export function VolunteerTag({ status, className = '' }: { status: string; className?: string }) {
  const known = VOLUNTEER_STATUS[status] ?? { label: status, family: 'ended' as const };
  return (
    <Tag family={known.family} className={className}>
      {known.label}
    </Tag>
  );
}

/** 未读 on a message: a word and a colour, never the colour alone. */
export function UnreadTag({ className = '' }: { className?: string }) {
  return (
    <Tag family="waiting" className={className}>
      未读
    </Tag>
  );
}

const NEED_FAMILIES: Record<NeedStatus, TagFamily> = {
  checking: 'waiting',
  refused: 'problem',
  review: 'waiting',
  wish: 'active',
  ordered: 'active',
  case: 'active',
  merged: 'ended',
  declined: 'ended',
  withdrawn: 'ended',
};

/** A need's state (我的求助, staff's queue). */
export function NeedTag({ status, className = '' }: { status: NeedStatus; className?: string }) {
  return (
    <Tag family={NEED_FAMILIES[status]} className={`need-status ${className}`}>
      {NEED_STATUS_LABELS[status]}
    </Tag>
  );
}

const WISH_FAMILIES: Record<WishView['status'], TagFamily> = {
  open: 'waiting',
  claimed: 'active',
  fulfilled: 'waiting',
  confirmed: 'done',
  withdrawn: 'ended',
};

export function WishTag({ status, className = '' }: { status: WishView['status']; className?: string }) {
  return (
    <Tag family={WISH_FAMILIES[status]} className={`wish-status ${className}`}>
      {WISH_STATUS_LABELS[status]}
    </Tag>
  );
}

type CaseStatus = keyof typeof CASE_STATUS_LABELS;
const CASE_FAMILIES: Record<CaseStatus, TagFamily> = {
  accepted: 'waiting',
  in_progress: 'active',
  closed: 'done',
};

/** 社区事务: 已受理 → 处理中 → 已办结. */
export function CaseTag({ status }: { status: CaseStatus }) {
  return (
    <Tag family={CASE_FAMILIES[status]} className="case-status">
      {CASE_STATUS_LABELS[status]}
    </Tag>
  );
}

/** 紧急 in words and colour. */
export function UrgentTag() {
  return (
    <Tag family="problem" className="urgent-tag">
      紧急
    </Tag>
  );
}
