import { ORDER_STATUS_LABELS, type OrderStatus } from '@llb/shared';
import { Text } from '@tarojs/components';
import './components.css';

export function StatusTag({ status, overdue = false }: { status: OrderStatus; overdue?: boolean }) {
  return (
    <Text className={`status-tag status-${status} ${overdue ? 'status-overdue' : ''}`}>
      {overdue ? '超时未接' : ORDER_STATUS_LABELS[status]}
    </Text>
  );
}
