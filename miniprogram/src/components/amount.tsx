import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './amount.css';

interface AmountProps {
  /** What the number is (可用积分), on its own line above it. */
  label: string;
  value: number;
  unit?: string;
  /** Who it belongs to, when staff read someone else's (a line above the label). */
  owner?: string;
  /** Facts under the number (志愿服务 3 次), one line each. */
  lines?: string[];
  className?: string;
  valueClassName?: string;
  children?: ReactNode;
}

/** A balance block: each part on its own line, so name, number and facts never run together. */
export function Amount({
  label,
  value,
  unit = '积分',
  owner,
  lines = [],
  className = '',
  valueClassName = '',
  children,
}: AmountProps) {
  return (
    <View className={`card amount ${className}`}>
      {owner && <View className="amount-owner">{owner}</View>}
      <View className="amount-label">{label}</View>
      <View className="amount-figure">
        <Text className={`amount-value ${valueClassName}`}>{value}</Text>
        {unit && <Text className="amount-unit">{unit}</Text>}
      </View>
      {lines.map((line) => (
        <View className="amount-line" key={line}>
          {line}
        </View>
      ))}
      {children}
    </View>
  );
}

/** A number with its unit inline (120 积分), kept together on one line. */
export function Points({
  value,
  unit = '积分',
  className = '',
}: {
  value: number;
  unit?: string;
  className?: string;
}) {
  return <Text className={`points ${className}`}>{`${value} ${unit}`}</Text>;
}
