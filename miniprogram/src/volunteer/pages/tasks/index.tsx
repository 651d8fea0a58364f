import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { OrderCard } from '../../../components/order-card';
import { api } from '../../../services/api';
import { useLoadOnShow } from '../../../services/use-load';

export default function MyTasks() {
  const load = useCallback(() => api.myTasks(), []);
  const { data: tasks, error, loading } = useLoadOnShow(load);
  return (
    <View className="page my-tasks">
      {error && <View className="error-text">{error}</View>}
      {!loading && tasks?.length === 0 && <View className="card muted">还没有接过任务。</View>}
      {tasks?.map((task) => (
        <OrderCard
          key={task.id}
          order={task}
          showResident
          onClick={() => Taro.navigateTo({ url: `/volunteer/pages/task/index?id=${task.id}` })}
        />
      ))}
    </View>
  );
}
