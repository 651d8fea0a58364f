import { Button, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback } from 'react';
import { OrderCard } from '../../components/order-card';
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
    <View className="page my-orders">
      {error && <View className="error-text">{error}</View>}
      {!loading && orders?.length === 0 && (
        <View className="card">
          <View className="muted">还没有订单。</View>
          <Button
            className="btn btn-primary actions"
            onClick={() => Taro.navigateTo({ url: '/pages/menu/index' })}
          >
            去预约服务
          </Button>
        </View>
      )}
      {orders?.map((order) => (
        <OrderCard
          key={order.id}
          order={order}
          onClick={() => Taro.navigateTo({ url: `/pages/order-detail/index?id=${order.id}` })}
        />
      ))}
    </View>
  );
}
