import { Text, View } from '@tarojs/components';
import { useState } from 'react';
import { lastYear, type Period, thisYear } from '../services/period';
import { DateRange } from './date-range';

type Choice = 'this' | 'last' | 'custom';
const CHOICES: [Choice, string][] = [
  ['this', '今年'],
  ['last', '去年'],
  ['custom', '自己选时间'],
];

/** 今年 / 去年 / 自己选时间: the span a list of records covers. */
export function PeriodFilter({ value, onChange }: { value: Period; onChange: (period: Period) => void }) {
  const [choice, setChoice] = useState<Choice>('this');
  const choose = (next: Choice) => {
    setChoice(next);
    if (next === 'this') onChange(thisYear());
    if (next === 'last') onChange(lastYear());
  };
  return (
    <View className="period-filter">
      <View className="chips">
        {CHOICES.map(([key, text]) => (
          <Text
            key={key}
            className={`chip period-choice ${choice === key ? 'chip-on' : ''}`}
            onClick={() => choose(key)}
          >
            {text}
          </Text>
        ))}
      </View>
      {choice === 'custom' && <DateRange value={value} onChange={onChange} className="card" />}
    </View>
  );
}
