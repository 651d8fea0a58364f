import { Button, View } from '@tarojs/components';
import { useCallback } from 'react';
import { NEED_EVENT_LABELS, NeedFacts } from '../../components/need-parts';
import { PageFrame } from '../../components/page-frame';
import { Timeline } from '../../components/timeline';
import { api } from '../../services/api';
import { confirm } from '../../services/confirm';
import { attempt, routerParam } from '../../services/feedback';
import { useLoadOnShow } from '../../services/use-load';

/** One need as its resident sees it: what became of it, the community's answers, and each step. */
export default function NeedDetail() {
  const id = routerParam('id');
  const load = useCallback(() => api.need(id), [id]);
  const { data: need, error, reload } = useLoadOnShow(load);

  async function withdraw(): Promise<void> {
    const sure = await confirm({
      title: '撤回求助',
      content: '撤回后社区就不再处理这条求助。以后有需要可以再发。',
      yes: '撤回',
    });
    if (sure && (await attempt(() => api.withdrawNeed(id), '已撤回'))) reload();
  }

  return (
    <PageFrame className="need-detail" error={error}>
      {need && <NeedFacts need={need} orderPage="/pages/order-detail/index" />}
      {need?.actions.includes('withdraw') && (
        <Button className="btn btn-plain withdraw-need" onClick={withdraw}>
          不需要了，撤回求助
        </Button>
      )}
      {need && (
        <View>
          <View className="subtitle">办理进度</View>
          <Timeline events={need.timeline ?? []} labels={NEED_EVENT_LABELS} />
        </View>
      )}
    </PageFrame>
  );
}
