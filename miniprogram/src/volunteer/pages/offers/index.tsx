import { type OfferView, reasonInput } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { OrderCard } from '../../../components/order-card';
import { PageFrame } from '../../../components/page-frame';
import { ReasonForm } from '../../../components/reason-form';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt } from '../../../services/feedback';
import { formatWindow } from '../../../services/format';
import { maxLength } from '../../../services/limits';
import { useSubscribe } from '../../../services/subscribe';
import { useLoadOnShow } from '../../../services/use-load';

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function countdown(until: string, now: number): string {
  const seconds = Math.max(0, Math.floor((Date.parse(until) - now) / 1000));
  return `${Math.floor(seconds / 60)} 分 ${String(seconds % 60).padStart(2, '0')} 秒`;
}

/** 新任务提醒: WeChat asks only on a tap, so the volunteer taps for it; each yes is one reminder. */
async function askForReminders(ask: () => Promise<boolean>): Promise<void> {
  if (await ask()) Taro.showToast({ title: '有新任务时会提醒您', icon: 'none' });
}

/** 派单: the community's system offered these orders to this volunteer; answer before the time runs out. */
export default function Offers() {
  const load = useCallback(() => api.myOffers(), []);
  const { data: offers, error, loading, reload } = useLoadOnShow(load);
  const [declining, setDeclining] = useState<OfferView | null>(null);
  const now = useNow();
  const reminders = useSubscribe('offers');

  async function accept(offer: OfferView): Promise<void> {
    const sure = await confirm({
      title: '接这一单',
      content: `${offer.projectTitle}，${formatWindow(offer.windowStart, offer.windowEnd)}。接了就要按时上门，去不了要尽早退回。`,
      yes: '接这一单',
    });
    if (!sure) return;
    const order = await attempt(() => api.acceptOrder(offer.id), '接单成功');
    if (order) Taro.redirectTo({ url: `/volunteer/pages/task/index?id=${order.id}` });
    else reload();
  }

  async function decline(reason: string): Promise<void> {
    if (!declining) return;
    if (await attempt(() => api.declineOffer(declining.offerId, reason), '已告诉社区')) {
      setDeclining(null);
      reload();
    }
  }

  return (
    <PageFrame className="offers" error={error}>
      {reminders.available && (
        <Button className="btn btn-secondary offer-reminders" onClick={() => askForReminders(reminders.ask)}>
          开启新任务提醒
        </Button>
      )}
      {!loading && offers?.length === 0 && (
        <EmptyState
          title="现在没有派给您的任务"
          hint="社区派单时会提醒您；也可以自己去任务大厅挑。"
          next={{
            label: '去任务大厅',
            onClick: () => Taro.navigateTo({ url: '/volunteer/pages/hall/index' }),
          }}
        />
      )}
      {declining && (
        <ReasonForm
          title="这次去不了"
          placeholder="说一下原因，比如那天要上班"
          confirmText="婉拒这一单"
          maxLength={maxLength(reasonInput.shape.reason)}
          onSubmit={decline}
          onCancel={() => setDeclining(null)}
        />
      )}
      {offers?.map((offer) => (
        <View key={offer.offerId} className="offer-item">
          <OrderCard order={offer} />
          <Text className="muted offer-countdown">
            {`请在 ${countdown(offer.offerExpiresAt, now)} 内答复${offer.bonusPoints > 0 ? `，额外奖励 ${offer.bonusPoints} 积分` : ''}`}
          </Text>
          {offer.actions.includes('accept') && (
            <Button className="btn btn-primary accept-offer actions" onClick={() => accept(offer)}>
              接这一单
            </Button>
          )}
          <Button className="btn btn-plain" onClick={() => setDeclining(offer)}>
            去不了
          </Button>
        </View>
      ))}
    </PageFrame>
  );
}
