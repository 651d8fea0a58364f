import {
  type Goods,
  ORDER_STATUS_LABELS,
  type OrderStatus,
  PROJECT_STATUS_LABELS,
  type ProjectStatus,
  REDEMPTION_STATUS_LABELS,
  type RedemptionStatus,
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
