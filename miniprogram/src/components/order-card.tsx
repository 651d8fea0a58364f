import type { OrderView } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import { formatWindow } from '../services/format';
import { OrderTag } from './tag';
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
        <OrderTag status={order.status} overdue={order.overdue} />
      </View>
      <View className="order-card-line">{formatWindow(order.windowStart, order.windowEnd)}</View>
      <View className="order-card-line muted">{order.address}</View>
      {showResident && (
        <View className="order-card-line muted">
          {order.residentName}
          {order.proxy ? `（${order.orderedByName} 代下单）` : ''}
        </View>
      )}
      {order.pointsNote && <View className="order-card-line muted points-note">{order.pointsNote}</View>}
      {onClick && <View className="order-card-go">查看详情 ›</View>}
    </View>
  );
}
