import { type OrderView, PRESENCE_METHOD_LABELS, ratingLabel } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatMinutes, formatWindow } from '../services/format';
import { Row } from './row';
import { OrderTag } from './tag';
import './components.css';

const call = (phoneNumber: string) => Taro.makePhoneCall({ phoneNumber }).catch(() => {});

/** The facts of an order every role reads the same way; contact details arrive already masked when they must be. */
export function OrderFacts({
  order,
  showPresence = false,
}: {
  order: OrderView;
  /** For staff and the volunteer: how arrival and leaving were proved (code, location, staff's call). */
  showPresence?: boolean;
}) {
  return (
    <View className="card order-facts">
      <View className="order-card-head">
        <Text className="order-card-title">{order.projectTitle}</Text>
        <OrderTag status={order.status} overdue={order.overdue} />
      </View>
      <Row label="时间" value={formatWindow(order.windowStart, order.windowEnd)} />
      <Row label="地址" value={order.address} stack valueClassName="order-address-value" />
      <Row
        label="联系电话"
        value={order.contactPhone}
        valueClassName="order-phone-value"
        onClick={order.contactVisible ? () => call(order.contactPhone) : undefined}
      />
      <Row
        label="服务对象"
        value={order.proxy ? `${order.residentName}（${order.orderedByName} 代下单）` : order.residentName}
      />
      {order.notes && <Row label="备注" value={order.notes} stack />}
      {order.volunteerName && (
        <Row label="志愿者" value={order.volunteerName} valueClassName="order-volunteer" />
      )}
      {order.volunteerPhone && (
        <Row
          label="志愿者电话"
          value={order.volunteerPhone}
          onClick={() => call(order.volunteerPhone ?? '')}
        />
      )}
      {showPresence && order.checkInMethod && (
        <Row
          label="签到方式"
          value={PRESENCE_METHOD_LABELS[order.checkInMethod]}
          valueClassName="check-in-method"
        />
      )}
      {showPresence && order.checkOutMethod && (
        <Row
          label="签退方式"
          value={PRESENCE_METHOD_LABELS[order.checkOutMethod]}
          valueClassName="check-out-method"
        />
      )}
      {order.serviceMinutes !== null && <Row label="服务时长" value={formatMinutes(order.serviceMinutes)} />}
    </View>
  );
}

/** 一事一评 as given: the rating, its tags and the comment, for the resident who gave it and for staff. */
export function RatingFacts({ order, title }: { order: OrderView; title: string }) {
  if (!order.rating) return null;
  return (
    <View className="card rating-facts">
      <Text className="subtitle">{title}</Text>
      <Row label="评价" value={ratingLabel(order.rating)} valueClassName="my-rating" />
      {order.ratingTags && order.ratingTags.length > 0 && (
        <Row label="标签" value={order.ratingTags.join('、')} valueClassName="rating-tags" />
      )}
      {order.ratingComment && (
        <Row label="评价内容" value={order.ratingComment} stack valueClassName="rating-comment" />
      )}
    </View>
  );
}
