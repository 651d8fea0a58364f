import { View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../components/empty-state';
import { PageFrame } from '../../components/page-frame';
import { WishCard } from '../../components/wish-parts';
import { api } from '../../services/api';
import { useLoadOnShow } from '../../services/use-load';

/** 心愿墙: the wishes this person may see (the server decides: volunteers, neighbours anonymised, staff). */
export default function Wishes() {
  const load = useCallback(() => api.wishes(), []);
  const { data: wishes, error, loading, reload } = useLoadOnShow(load);
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });

  return (
    <PageFrame className="wishes" error={error}>
      <View className="muted wishes-intro">
        居民的小心愿，社区审核后发在这里。志愿者认领帮忙，完成后得到积分；邻居可以捐积分给心愿。
      </View>
      {!loading && wishes?.length === 0 && (
        <EmptyState
          title="心愿墙上还没有心愿"
          hint="社区发布新的心愿后，会出现在这里。"
          next={{
            label: '我也有难处，我要求助',
            onClick: () => Taro.navigateTo({ url: '/pages/need-form/index' }),
          }}
          className="wishes-empty"
        />
      )}
      {wishes?.map((wish) => (
        <WishCard
          key={wish.id}
          wish={wish}
          onClick={() => Taro.navigateTo({ url: `/pages/wish/index?id=${wish.id}` })}
        />
      ))}
    </PageFrame>
  );
}
