import { type LedgerEntry, TRANSFER_KIND_LABELS } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { formatTime } from '../services/format';
import './components.css';

/** Every change of points with its reason: nothing is edited, a correction is a new line. */
export function LedgerList({
  entries,
  action,
}: {
  entries: LedgerEntry[];
  action?: (entry: LedgerEntry) => ReactNode;
}) {
  if (entries.length === 0) return <View className="card muted">还没有积分记录。</View>;
  return (
    <View className="card ledger">
      {entries.map((entry) => (
        <View className="ledger-row" key={`${entry.transferId}-${entry.amount}`}>
          <View className="ledger-what">
            <Text className="ledger-kind">{`${TRANSFER_KIND_LABELS[entry.kind] ?? entry.kind}${entry.reversed ? '（已撤销）' : ''}`}</Text>
            <Text className="timeline-meta">{entry.memo}</Text>
            <Text className="timeline-meta">{formatTime(entry.at)}</Text>
          </View>
          <View className="ledger-side">
            <Text className={`ledger-amount ${entry.amount > 0 ? 'ledger-in' : 'ledger-out'}`}>
              {entry.amount > 0 ? `+${entry.amount}` : entry.amount}
            </Text>
            {action?.(entry)}
          </View>
        </View>
      ))}
    </View>
  );
}
