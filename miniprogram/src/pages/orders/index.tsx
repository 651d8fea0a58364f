import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../components/empty-state';
import { OrderCard } from '../../components/order-card';
import { PageFrame } from '../../components/page-frame';
import { api } from '../../services/api';
import { useUnreadBadge } from '../../services/inbox';
import { requireSignedIn } from '../../services/navigation';
import { useLoadOnShow } from '../../services/use-load';

export default function MyOrders() {
  const load = useCallback(() => (requireSignedIn() ? api.myOrders() : Promise.resolve([])), []);
  const { data: orders, error, loading, reload } = useLoadOnShow(load);
  useUnreadBadge();
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });

  return (
    <PageFrame className="my-orders" nav={false} error={error}>
      {!loading && orders?.length === 0 && (
        <EmptyState
          title="还没有订单"
          hint="需要人上门帮忙时，在服务清单里选一项预约。"
          next={{ label: '去预约服务', onClick: () => Taro.navigateTo({ url: '/pages/menu/index' }) }}
        />
      )}
      {orders?.map((order) => (
        <OrderCard
          key={order.id}
          order={order}
          onClick={() => Taro.navigateTo({ url: `/pages/order-detail/index?id=${order.id}` })}
        />
      ))}
    </PageFrame>
  );
}
