import { PRESENCE_METHOD_LABELS, TIMELINE_LABELS, type TimelineEvent } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import { formatTime } from '../services/format';
import './components.css';

const ROLE_NAMES: Record<TimelineEvent['actorRole'], string> = {
  resident: '居民',
  volunteer: '志愿者',
  staff: '社区',
  system: '系统',
};

const METHODS: Record<string, string> = PRESENCE_METHOD_LABELS;

/** What the timeline reads of an event (an order's, a need's). */
type Step = Pick<TimelineEvent, 'action' | 'actorRole' | 'actorName' | 'at' | 'detail'>;

function note(event: Step): string {
  const d = event.detail;
  if (typeof d.method === 'string' && METHODS[d.method]) {
    const how = `方式：${METHODS[d.method]}`;
    return typeof d.note === 'string' && d.note ? `${how}，说明：${d.note}` : how;
  }
  if (typeof d.reason === 'string' && d.reason) return `原因：${d.reason}`;
  if (typeof d.note === 'string' && d.note) return `说明：${d.note}`;
  if (typeof d.reply === 'string' && d.reply) return `回复：${d.reply}`;
  if (typeof d.amount === 'number') return `捐了 ${d.amount} 积分`;
  if (typeof d.volunteerName === 'string' && event.action === 'assign') return `派给 ${d.volunteerName}`;
  return '';
}

/** 受理—派单—处置—反馈—评价: who did what, when (`labels` names the steps; an order's by default). */
export function Timeline({
  events,
  labels = TIMELINE_LABELS,
}: {
  events: Step[];
  labels?: Record<string, string>;
}) {
  return (
    <View className="card timeline">
      {events.map((event) => (
        <View className="timeline-item" key={`${event.at}-${event.action}`}>
          <View className="timeline-dot" />
          <View className="timeline-body">
            <Text className="timeline-title">{labels[event.action] ?? event.action}</Text>
            <Text className="timeline-meta">
              {`${formatTime(event.at)} · ${ROLE_NAMES[event.actorRole]} ${event.actorRole === 'system' ? '' : event.actorName}`}
            </Text>
            {note(event) && <Text className="timeline-meta">{note(event)}</Text>}
          </View>
        </View>
      ))}
    </View>
  );
}
