import { type WishView, wishReasonInput } from '@llb/shared';
import { Button, View } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { PageFrame } from '../../components/page-frame';
import { ReasonForm } from '../../components/reason-form';
import { WishFacts, WishProof } from '../../components/wish-parts';
import { api } from '../../services/api';
import { confirm } from '../../services/confirm';
import { attempt, routerParam } from '../../services/feedback';
import { maxLength } from '../../services/limits';
import { useLoadOnShow } from '../../services/use-load';
import { ConfirmPanel, DonatePanel, FulfilPanel } from './panels';

const REASON_MAX = maxLength(wishReasonInput.shape.reason, 200);

/** One wish: its facts, the proof once fulfilled, and what this viewer may do now (the server's `actions`). */
export default function WishDetail() {
  const id = routerParam('id');
  const load = useCallback(() => api.wish(id), [id]);
  const { data, error, reload } = useLoadOnShow(load);
  const [wish, setWish] = useState<WishView | null>(null);
  const [asking, setAsking] = useState<'release' | 'withdraw' | null>(null);
  useEffect(() => setWish(data), [data]);
  const done = (next: WishView) => {
    setWish(next);
    setAsking(null);
    reload();
  };

  async function claim(): Promise<void> {
    const sure = await confirm({
      title: '认领心愿',
      content: '认领后请在期限前完成，完成时拍一张照片作为凭证。',
      yes: '认领',
    });
    if (!sure) return;
    const claimed = await attempt(() => api.claimWish(id), '认领成功');
    if (claimed) done(claimed);
  }

  if (!wish) return <PageFrame className="wish-detail" error={error} />;
  const can = (action: WishView['actions'][number]) => wish.actions.includes(action);
  return (
    <PageFrame className="wish-detail" error={error}>
      <WishFacts wish={wish} />
      <WishProof wish={wish} />
      {can('claim') && (
        <Button className="btn btn-primary claim-wish" onClick={claim}>
          我来认领
        </Button>
      )}
      {can('fulfil') && <FulfilPanel wish={wish} onDone={done} />}
      {can('confirm') && <ConfirmPanel wish={wish} onDone={done} />}
      {can('donate') && <DonatePanel wish={wish} onDone={done} />}
      {asking === 'release' && (
        <ReasonForm
          title="放弃认领"
          hint="放弃后心愿回到心愿墙，别的志愿者可以认领。"
          placeholder="说一下原因（可不填）"
          confirmText="放弃认领"
          maxLength={REASON_MAX}
          onSubmit={async (reason) => {
            const released = await attempt(() => api.releaseWish(id, reason), '已放弃');
            if (released) done(released);
          }}
          onCancel={() => setAsking(null)}
        />
      )}
      {asking === 'withdraw' && (
        <ReasonForm
          title="撤销心愿"
          hint="撤销后心愿从心愿墙拿下，邻里捐的积分退还给他们。居民会看到原因。"
          placeholder="写明撤销的原因"
          confirmText="撤销心愿"
          maxLength={REASON_MAX}
          onSubmit={async (reason) => {
            const withdrawn = await attempt(() => api.withdrawWish(id, reason), '已撤销');
            if (withdrawn) done(withdrawn);
          }}
          onCancel={() => setAsking(null)}
        />
      )}
      {!asking && (can('release') || can('withdraw')) && (
        <View>
          {can('release') && (
            <Button className="btn btn-plain release-wish" onClick={() => setAsking('release')}>
              做不了，放弃认领
            </Button>
          )}
          {can('withdraw') && (
            <Button className="btn btn-plain withdraw-wish" onClick={() => setAsking('withdraw')}>
              撤销这个心愿
            </Button>
          )}
        </View>
      )}
    </PageFrame>
  );
}
