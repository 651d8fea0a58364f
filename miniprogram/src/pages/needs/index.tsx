import { Button } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../components/empty-state';
import { NeedCard } from '../../components/need-parts';
import { PageFrame } from '../../components/page-frame';
import { api } from '../../services/api';
import { useLoadOnShow } from '../../services/use-load';

const openForm = () => Taro.navigateTo({ url: '/pages/need-form/index' });

/** 我的求助: every need the person posted (or staff posted for them), newest first. */
export default function MyNeeds() {
  const load = useCallback(() => api.myNeeds(), []);
  const { data: needs, error, loading, reload } = useLoadOnShow(load);
  usePullDownRefresh(() => {
    reload();
    Taro.stopPullDownRefresh();
  });

  return (
    <PageFrame className="my-needs" error={error}>
      {!loading && needs?.length === 0 && (
        <EmptyState
          title="还没有求助"
          hint="遇到难处，说一说需要什么帮助，社区看到后会答复您。"
          next={{ label: '我要求助', onClick: openForm }}
          className="needs-empty"
        />
      )}
      {needs && needs.length > 0 && (
        <Button className="btn btn-primary new-need" onClick={openForm}>
          我要求助
        </Button>
      )}
      {needs?.map((need) => (
        <NeedCard
          key={need.id}
          need={need}
          onClick={() => Taro.navigateTo({ url: `/pages/need/index?id=${need.id}` })}
        />
      ))}
    </PageFrame>
  );
}
