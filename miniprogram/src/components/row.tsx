import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import './row.css';

interface RowProps {
  label: string;
  /** The value in words; or children for anything richer (a tag, a link). */
  value?: ReactNode;
  children?: ReactNode;
  /** Long free text (an address, a note): the value goes under the label, left-aligned. */
  stack?: boolean;
  className?: string;
  valueClassName?: string;
  /** Shows a › and makes the whole row a tap target. */
  onClick?: () => void;
}

/**
 * A labelled row. The label keeps its own width (never one character per line); a long value
 * breaks inside its own column, or under the label when `stack` is set.
 */
export function Row({
  label,
  value,
  children,
  stack = false,
  className = '',
  valueClassName = '',
  onClick,
}: RowProps) {
  return (
    <View
      className={`row lrow ${stack ? 'lrow-stack' : ''} ${onClick ? 'lrow-link' : ''} ${className}`}
      onClick={onClick}
    >
      <Text className="row-label lrow-label">{label}</Text>
      <View className={`row-value lrow-value ${valueClassName}`}>{children ?? value}</View>
      {onClick && <Text className="lrow-go">›</Text>}
    </View>
  );
}
