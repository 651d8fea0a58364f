import type { ServiceRecordList, ServiceRecordView } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { formatMinutes } from '../services/format';
import { formatClock, formatDayShort } from '../services/period';
import { EmptyState, type NextStep } from './empty-state';
import { Row } from './row';
import { Tag } from './tag';
import './records.css';

function when(record: ServiceRecordView): string {
  const day = formatDayShort(record.servedOn);
  if (!record.startedAt || !record.endedAt) return day;
  return `${day} ${formatClock(record.startedAt)}–${formatClock(record.endedAt)}`;
}

/** What happened to a record, in words: corrected by a later one, or itself a correction (0 分钟 = 作废). */
function CorrectionNote({ record }: { record: ServiceRecordView }) {
  if (record.correctedById !== null) {
    return (
      <View className="record-note record-corrected-note">
        {`这条记录已被第 ${record.correctedById} 号记录更正，不再计入时长。`}
      </View>
    );
  }
  if (record.correctsId === null) return null;
  const what = record.minutes === 0 ? '作废' : `改为 ${formatMinutes(record.minutes)}`;
  return (
    <View className="record-note record-correction-note">
      {`更正第 ${record.correctsId} 号记录：${what}。原因：${record.correctionReason ?? ''}`}
    </View>
  );
}

/** One official service record (志愿服务记录): when, what, where, how long, who recorded it. */
export function RecordCard({ record, action }: { record: ServiceRecordView; action?: ReactNode }) {
  return (
    <View className={`card record ${record.effective ? '' : 'record-void'}`} data-record-id={record.id}>
      <View className="record-head">
        <Text className="record-title">{record.projectTitle}</Text>
        {record.effective ? (
          record.correctsId !== null && <Tag family="active">更正记录</Tag>
        ) : (
          <Tag family="ended">已更正，不计入</Tag>
        )}
      </View>
      <Row label="时间" value={when(record)} valueClassName="record-when" />
      <Row label="时长" value={formatMinutes(record.minutes)} valueClassName="record-minutes" />
      <Row label="服务内容" value={record.content} />
      <Row label="地点" value={record.place} stack />
      <Row label="记录人" value={record.recordedBy} valueClassName="record-by" />
      {record.staffConfirmedPresence && <View className="muted">到场情况由社区电话向居民核实</View>}
      <View className="muted record-number">{`记录编号 ${record.id} · ${record.communityName}`}</View>
      <CorrectionNote record={record} />
      {action}
    </View>
  );
}

/** A period's records with the total that counts (corrected records stay listed but don't count). */
export function RecordList({
  list,
  action,
  empty,
}: {
  list: ServiceRecordList;
  action?: (record: ServiceRecordView) => ReactNode;
  empty?: NextStep | null;
}) {
  return (
    <View className="record-list">
      <View className="card record-total">
        <Row label="服务时长合计" value={formatMinutes(list.totalMinutes)} valueClassName="records-minutes" />
        <Row label="服务次数" value={`${list.count} 次`} valueClassName="records-count" />
        <View className="muted">已被更正的记录照样列出，但不计入合计。</View>
      </View>
      {list.records.length === 0 && (
        <EmptyState
          title="这段时间没有服务记录"
          hint="居民确认服务后，服务时长会记在这里。"
          next={empty}
          className="records-empty"
        />
      )}
      {list.records.map((record) => (
        <RecordCard key={record.id} record={record} action={action?.(record)} />
      ))}
    </View>
  );
}
