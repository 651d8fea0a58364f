import { Button, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback } from 'react';
import { OrderCard } from '../../../components/order-card';
import { api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

/** 任务大厅: open orders this volunteer is qualified for; contact details stay hidden until accepted. */
export default function TaskHall() {
  const load = useCallback(() => api.taskHall(), []);
  const { data: orders, error, loading, reload } = useLoadOnShow(load);
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });

  async function accept(id: string): Promise<void> {
    const order = await attempt(() => api.acceptOrder(id), '接单成功');
    if (order) Taro.redirectTo({ url: `/volunteer/pages/task/index?id=${order.id}` });
    else reload();
  }

  return (
    <View className="page task-hall">
      {error && <View className="error-text">{error}</View>}
      {!loading && orders?.length === 0 && (
        <View className="card muted">现在没有适合您的任务，晚点再来看看。</View>
      )}
      {orders?.map((order) => (
        <View key={order.id} className="hall-item">
          <OrderCard order={order} />
          {order.actions.includes('accept') && (
            <Button className="btn btn-primary accept-order" onClick={() => accept(order.id)}>
              接这一单
            </Button>
          )}
        </View>
      ))}
    </View>
  );
}
