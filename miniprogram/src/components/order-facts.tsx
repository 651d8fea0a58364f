import type { OrderView } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatMinutes, formatWindow } from '../services/format';
import { StatusTag } from './status-tag';
import './components.css';

function Row({ label, value, className = '' }: { label: string; value: string; className?: string }) {
  return (
    <View className="row">
      <Text className="row-label">{label}</Text>
      <Text className={`row-value ${className}`}>{value}</Text>
    </View>
  );
}

/** The facts of an order every role reads the same way; contact details arrive already masked when they must be. */
export function OrderFacts({ order }: { order: OrderView }) {
  return (
    <View className="card order-facts">
      <View className="order-card-head">
        <Text className="order-card-title">{order.projectTitle}</Text>
        <StatusTag status={order.status} overdue={order.overdue} />
      </View>
      <Row label="时间" value={formatWindow(order.windowStart, order.windowEnd)} />
      <Row label="地址" value={order.address} className="order-address-value" />
      <View className="row">
        <Text className="row-label">联系电话</Text>
        <Text
          className="row-value order-phone-value"
          onClick={() =>
            order.contactVisible && Taro.makePhoneCall({ phoneNumber: order.contactPhone }).catch(() => {})
          }
        >
          {order.contactPhone}
        </Text>
      </View>
      <Row
        label="服务对象"
        value={order.proxy ? `${order.residentName}（${order.orderedByName} 代下单）` : order.residentName}
      />
      {order.notes && <Row label="备注" value={order.notes} />}
      {order.volunteerName && <Row label="志愿者" value={order.volunteerName} className="order-volunteer" />}
      {order.volunteerPhone && (
        <View className="row">
          <Text className="row-label">志愿者电话</Text>
          <Text
            className="row-value"
            onClick={() => Taro.makePhoneCall({ phoneNumber: order.volunteerPhone ?? '' }).catch(() => {})}
          >
            {order.volunteerPhone}
          </Text>
        </View>
      )}
      {order.serviceMinutes !== null && <Row label="服务时长" value={formatMinutes(order.serviceMinutes)} />}
    </View>
  );
}
