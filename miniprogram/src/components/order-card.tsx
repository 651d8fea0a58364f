import type { OrderView } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import { formatWindow } from '../services/format';
import { StatusTag } from './status-tag';
import './components.css';

/** One order in a list: what, when, where (masked unless the viewer may see it), its status. */
export function OrderCard({
  order,
  onClick,
  showResident = false,
}: {
  order: OrderView;
  onClick?: () => void;
  showResident?: boolean;
}) {
  return (
    <View className="card order-card" data-order-id={order.id} onClick={onClick}>
      <View className="order-card-head">
        <Text className="order-card-title">{order.projectTitle}</Text>
        <StatusTag status={order.status} overdue={order.overdue} />
      </View>
      <Text className="order-card-line">{formatWindow(order.windowStart, order.windowEnd)}</Text>
      <Text className="order-card-line muted">{order.address}</Text>
      {showResident && (
        <Text className="order-card-line muted">
          {order.residentName}
          {order.proxy ? `（${order.orderedByName} 代下单）` : ''}
        </Text>
      )}
      {order.pointsNote && <Text className="order-card-line muted points-note">{order.pointsNote}</Text>}
    </View>
  );
}
