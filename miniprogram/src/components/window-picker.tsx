import type { Policy, Project } from '@llb/shared';
import { Picker, Text, View } from '@tarojs/components';
import dayjs from 'dayjs';
import { earliestStart, lastBookableDay, windowSpans } from '../services/booking';
import { formatMinutes, inShanghai, shanghaiIso } from '../services/format';
import { Row } from './row';

/** A service window as the form holds it: a Shanghai day, a start time and a length in minutes. */
export interface WindowChoice {
  date: string;
  time: string;
  span: number;
}

type Sized = Pick<Project, 'expectedMinutes' | 'maxMinutes'>;

/** The soonest window the server takes, as long as the project's expected time. */
export function firstWindow(policy: Policy, project: Sized | null): WindowChoice {
  const soonest = earliestStart(policy);
  return {
    date: soonest.format('YYYY-MM-DD'),
    time: soonest.format('HH:mm'),
    span: project ? (windowSpans(project)[0] ?? project.expectedMinutes) : 60,
  };
}

/** windowStart and windowEnd as the API wants them (ISO, Shanghai). */
export function windowTimes(choice: WindowChoice): { windowStart: string; windowEnd: string } {
  const windowStart = shanghaiIso(choice.date, choice.time);
  return { windowStart, windowEnd: inShanghai(windowStart).add(choice.span, 'minute').format() };
}

/** 日期, 几点开始 and how long: the booking window of the order form, 代下单 and a need turned into an order. */
export function WindowPicker({
  policy,
  project,
  value,
  onChange,
}: {
  policy: Policy;
  project: Sized | null;
  value: WindowChoice;
  onChange: (choice: WindowChoice) => void;
}) {
  const today = inShanghai().format('YYYY-MM-DD');
  return (
    <View className="window-picker">
      <Picker
        mode="date"
        value={value.date}
        start={earliestStart(policy).format('YYYY-MM-DD')}
        end={lastBookableDay(policy).format('YYYY-MM-DD')}
        onChange={(e) => onChange({ ...value, date: String(e.detail.value) })}
      >
        <Row
          label="日期"
          className="form-row"
          valueClassName="order-date"
          value={`${value.date === today ? '今天 ' : ''}${dayjs(value.date).format('M月D日')} ›`}
        />
      </Picker>
      <Picker
        mode="time"
        value={value.time}
        onChange={(e) => onChange({ ...value, time: String(e.detail.value) })}
      >
        <Row label="几点开始" className="form-row" valueClassName="order-time" value={`${value.time} ›`} />
      </Picker>
      {project && (
        <View className="spans">
          {windowSpans(project).map((s) => (
            <Text
              key={s}
              className={`chip span ${s === value.span ? 'chip-on' : ''}`}
              onClick={() => onChange({ ...value, span: s })}
            >
              {`${formatMinutes(s)}内`}
            </Text>
          ))}
        </View>
      )}
      <View className="muted order-notice">
        {`可以预约 ${formatMinutes(policy.orderNoticeMinutes)}以后、${policy.orderHorizonDays} 天以内的时间`}
      </View>
    </View>
  );
}
