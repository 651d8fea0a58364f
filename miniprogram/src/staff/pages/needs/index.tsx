import { NEED_STATUS_LABELS, type NeedStatus } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { NeedCard } from '../../../components/need-parts';
import { PageFrame } from '../../../components/page-frame';
import { api } from '../../../services/api';
import { routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

/** The filters offered, in the order staff work through them. */
const FILTERS: NeedStatus[] = [
  'review',
  'checking',
  'case',
  'wish',
  'ordered',
  'declined',
  'merged',
  'withdrawn',
  'refused',
];

/** 居民求助: the community's needs, to review first and urgent first (the server's order), by state. */
export default function StaffNeeds() {
  const communityId = routerParam('communityId');
  const [filter, setFilter] = useState<NeedStatus | undefined>(undefined);
  const load = useCallback(() => api.communityNeeds(communityId, filter), [communityId, filter]);
  const { data: needs, error, loading, reload } = useLoadOnShow(load);
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });

  return (
    <PageFrame className="staff-needs" audience="staff" error={error}>
      <Button
        className="btn btn-secondary post-for-resident"
        onClick={() => Taro.navigateTo({ url: `/staff/pages/post-need/index?communityId=${communityId}` })}
      >
        居民打电话来求助？在这里代发
      </Button>
      <View className="chips">
        <Text className={`chip need-filter ${filter ? '' : 'chip-on'}`} onClick={() => setFilter(undefined)}>
          全部
        </Text>
        {FILTERS.map((status) => (
          <Text
            key={status}
            className={`chip need-filter ${filter === status ? 'chip-on' : ''}`}
            onClick={() => setFilter(status)}
          >
            {NEED_STATUS_LABELS[status]}
          </Text>
        ))}
      </View>
      {!loading && needs?.length === 0 && (
        <EmptyState
          title={filter ? `没有“${NEED_STATUS_LABELS[filter]}”的求助` : '社区还没有居民求助'}
          hint="居民在小程序里点“我要求助”发来的事，会出现在这里。"
          next={filter ? { label: '看全部求助', onClick: () => setFilter(undefined) } : null}
          className="staff-needs-empty"
        />
      )}
      {needs?.map((need) => (
        <NeedCard
          key={need.id}
          need={need}
          onClick={() => Taro.navigateTo({ url: `/staff/pages/need/index?id=${need.id}` })}
        />
      ))}
    </PageFrame>
  );
}
