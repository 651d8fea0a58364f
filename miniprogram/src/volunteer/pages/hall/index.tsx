import type { OrderView } from '@llb/shared';
import { Button, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { OrderCard } from '../../../components/order-card';
import { PageFrame } from '../../../components/page-frame';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt } from '../../../services/feedback';
import { formatWindow } from '../../../services/format';
import { useLoadOnShow } from '../../../services/use-load';

/** 任务大厅: open orders this volunteer is qualified for; contact details stay hidden until accepted. */
export default function TaskHall() {
  const load = useCallback(() => api.taskHall(), []);
  const { data: orders, error, loading, reload } = useLoadOnShow(load);
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });

  async function accept(target: OrderView): Promise<void> {
    const sure = await confirm({
      title: '接这一单',
      content: `${target.projectTitle}，${formatWindow(target.windowStart, target.windowEnd)}。接了就要按时上门，去不了要尽早退回。`,
      yes: '接这一单',
    });
    if (!sure) return;
    const order = await attempt(() => api.acceptOrder(target.id), '接单成功');
    if (order) Taro.redirectTo({ url: `/volunteer/pages/task/index?id=${order.id}` });
    else reload();
  }

  return (
    <PageFrame className="task-hall" error={error}>
      {!loading && orders?.length === 0 && (
        <EmptyState
          title="现在没有适合您的任务"
          hint="新的求助会出现在这里，晚点再来看看。"
          next={{
            label: '看看我的任务',
            onClick: () => Taro.navigateTo({ url: '/volunteer/pages/tasks/index' }),
          }}
        />
      )}
      {orders?.map((order) => (
        <View key={order.id} className="hall-item">
          <OrderCard order={order} />
          {order.actions.includes('accept') && (
            <Button className="btn btn-primary accept-order" onClick={() => accept(order)}>
              接这一单
            </Button>
          )}
        </View>
      ))}
    </PageFrame>
  );
}
