import { Picker, View } from '@tarojs/components';
import { formatDay, type Period, today } from '../services/period';
import { Row } from './row';

/** 从哪天 到哪天: two date pickers, each a labelled row; the end never before the start nor after today. */
export function DateRange({
  value,
  onChange,
  className = '',
}: {
  value: Period;
  onChange: (period: Period) => void;
  className?: string;
}) {
  const last = today();
  return (
    <View className={`date-range ${className}`}>
      <Picker
        mode="date"
        value={value.from}
        end={value.to}
        onChange={(e) => onChange({ ...value, from: String(e.detail.value) })}
      >
        <Row label="从" valueClassName="range-from" value={`${formatDay(value.from)} ›`} />
      </Picker>
      <Picker
        mode="date"
        value={value.to}
        start={value.from}
        end={last}
        onChange={(e) => onChange({ ...value, to: String(e.detail.value) })}
      >
        <Row label="到" valueClassName="range-to" value={`${formatDay(value.to)} ›`} />
      </Picker>
    </View>
  );
}
