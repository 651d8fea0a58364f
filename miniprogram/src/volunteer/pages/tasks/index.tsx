import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { OrderCard } from '../../../components/order-card';
import { PageFrame } from '../../../components/page-frame';
import { api } from '../../../services/api';
import { useLoadOnShow } from '../../../services/use-load';

export default function MyTasks() {
  const load = useCallback(() => api.myTasks(), []);
  const { data: tasks, error, loading } = useLoadOnShow(load);
  return (
    <PageFrame className="my-tasks" error={error}>
      {!loading && tasks?.length === 0 && (
        <EmptyState
          title="还没有接过任务"
          next={{
            label: '去任务大厅',
            onClick: () => Taro.navigateTo({ url: '/volunteer/pages/hall/index' }),
          }}
        />
      )}
      {tasks?.map((task) => (
        <OrderCard
          key={task.id}
          order={task}
          showResident
          onClick={() => Taro.navigateTo({ url: `/volunteer/pages/task/index?id=${task.id}` })}
        />
      ))}
    </PageFrame>
  );
}
