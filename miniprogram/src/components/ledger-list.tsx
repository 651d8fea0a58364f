import { type LedgerEntry, TRANSFER_KIND_LABELS } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { formatTime } from '../services/format';
import { EmptyState, type NextStep } from './empty-state';
import './components.css';

/** Every change of points with its reason: nothing is edited, a correction is a new line. */
export function LedgerList({
  entries,
  action,
  next,
}: {
  entries: LedgerEntry[];
  action?: (entry: LedgerEntry) => ReactNode;
  /** Where to go when there is nothing yet (the task hall, say). */
  next?: NextStep;
}) {
  if (entries.length === 0) {
    return (
      <EmptyState title="还没有积分记录" hint="完成志愿服务、居民确认后，积分会记在这里。" next={next} />
    );
  }
  return (
    <View className="card ledger">
      {entries.map((entry) => (
        <View className="ledger-row" key={`${entry.transferId}-${entry.amount}`}>
          <View className="ledger-what">
            <View className="ledger-kind">{`${TRANSFER_KIND_LABELS[entry.kind] ?? entry.kind}${entry.reversed ? '（已撤销）' : ''}`}</View>
            <View className="timeline-meta">{entry.memo}</View>
            <View className="timeline-meta">{formatTime(entry.at)}</View>
          </View>
          <View className="ledger-side">
            {action?.(entry)}
            <Text className={`ledger-amount ${entry.amount > 0 ? 'ledger-in' : 'ledger-out'}`}>
              {entry.amount > 0 ? `+${entry.amount}` : entry.amount}
            </Text>
          </View>
        </View>
      ))}
    </View>
  );
}
