import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { OrderCard } from '../../../components/order-card';
import { PageFrame } from '../../../components/page-frame';
import { api } from '../../../services/api';
import { routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

const FILTERS = [
  ['', '全部'],
  ['open', '待接单'],
  ['overdue', '超时未接'],
  ['accepted', '已接单'],
  ['in_service', '服务中'],
  ['completed', '待评价'],
  ['disputed', '有异议'],
  ['confirmed', '已完成'],
  ['cancelled', '已取消'],
] as const;

export default function StaffOrders() {
  const communityId = routerParam('communityId');
  const [status, setStatus] = useState(routerParam('status'));
  const load = useCallback(
    () => api.communityOrders(communityId, status || undefined),
    [communityId, status],
  );
  const { data: orders, error, loading, reload } = useLoadOnShow(load);
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });

  return (
    <PageFrame className="staff-orders" audience="staff">
      <View className="menu-filters">
        {FILTERS.map(([value, label]) => (
          <Text
            key={value}
            className={`chip order-filter ${status === value ? 'chip-on' : ''}`}
            onClick={() => setStatus(value)}
          >
            {label}
          </Text>
        ))}
      </View>
      {error && <View className="error-text">{error}</View>}
      {!loading && !error && orders?.length === 0 && (
        <EmptyState
          title={status ? '没有这类订单' : '社区还没有订单'}
          next={status ? { label: '看全部订单', onClick: () => setStatus('') } : null}
        />
      )}
      {orders?.map((order) => (
        <OrderCard
          key={order.id}
          order={order}
          showResident
          onClick={() => Taro.navigateTo({ url: `/staff/pages/order/index?id=${order.id}` })}
        />
      ))}
    </PageFrame>
  );
}
