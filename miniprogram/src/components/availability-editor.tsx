import { Button, Picker, Text, View } from '@tarojs/components';
import { Row } from './row';
import './volunteer-form.css';

/** One weekly slot: 1 = 周一 … 7 = 周日, times as HH:mm. */
export interface Slot {
  weekday: number;
  start: string;
  end: string;
}

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
/** What a new form starts with: weekend days. */
export const DEFAULT_SLOTS: Slot[] = [
  { weekday: 6, start: '09:00', end: '18:00' },
  { weekday: 7, start: '09:00', end: '18:00' },
];

function nextSlot(slots: Slot[]): Slot {
  const free = [1, 2, 3, 4, 5, 6, 7].find((d) => !slots.some((s) => s.weekday === d)) ?? 1;
  return { weekday: free, start: '09:00', end: '12:00' };
}

/**
 * 每周什么时候有空: rows of weekday + from + to, added and removed one at a time. Dispatch offers only
 * what falls inside them; the task hall stays open to the volunteer at any time.
 */
export function AvailabilityEditor({
  slots,
  onChange,
  max = 21,
}: {
  slots: Slot[];
  onChange: (slots: Slot[]) => void;
  max?: number;
}) {
  const update = (index: number, change: Partial<Slot>) =>
    onChange(slots.map((slot, i) => (i === index ? { ...slot, ...change } : slot)));
  return (
    <View className="availability">
      {slots.length === 0 && (
        <View className="muted availability-none">没有填时间：社区派单时不限时间。可以点下面添加。</View>
      )}
      {slots.map((slot, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a slot's place in the list is its identity while editing
        <View key={index} className="slot">
          <Text className="slot-title">{`第 ${index + 1} 段`}</Text>
          <Picker
            mode="selector"
            range={WEEKDAYS}
            value={slot.weekday - 1}
            onChange={(e) => update(index, { weekday: Number(e.detail.value) + 1 })}
          >
            <Row label="星期" valueClassName="slot-weekday" value={`${WEEKDAYS[slot.weekday - 1] ?? ''} ›`} />
          </Picker>
          <Picker
            mode="time"
            value={slot.start}
            onChange={(e) => update(index, { start: String(e.detail.value) })}
          >
            <Row label="从" valueClassName="slot-start" value={`${slot.start} ›`} />
          </Picker>
          <Picker
            mode="time"
            value={slot.end}
            onChange={(e) => update(index, { end: String(e.detail.value) })}
          >
            <Row label="到" valueClassName="slot-end" value={`${slot.end} ›`} />
          </Picker>
          {slot.end <= slot.start && <View className="error-text">结束时间要晚于开始时间</View>}
          <Button
            className="btn btn-plain slot-remove"
            onClick={() => onChange(slots.filter((_, i) => i !== index))}
          >
            删掉这一段
          </Button>
        </View>
      ))}
      {slots.length < max && (
        <Button className="btn btn-secondary slot-add" onClick={() => onChange([...slots, nextSlot(slots)])}>
          添加一段时间
        </Button>
      )}
    </View>
  );
}
