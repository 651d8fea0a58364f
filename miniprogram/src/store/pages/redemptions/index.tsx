import { pickupQr, type Redemption } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { QrCode } from '../../../components/qr-code';
import { RedemptionTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt } from '../../../services/feedback';
import { formatTime } from '../../../services/format';
import { useLoadOnShow } from '../../../services/use-load';

/** A code still to be used: staff hand the goods over by it; the volunteer may give it back while the server allows. */
function PickupCard({ redemption, onCancel }: { redemption: Redemption; onCancel: () => void }) {
  return (
    <View className="card presence redemption-open">
      <View className="order-card-head">
        <Text className="order-card-title">{`${redemption.goodsName} × ${redemption.quantity}`}</Text>
        <RedemptionTag status={redemption.status} />
      </View>
      <View className="muted">请到社区出示，工作人员扫码或输入取货码</View>
      {redemption.pickupCode && <QrCode value={pickupQr.encode(redemption.pickupCode)} size={360} />}
      <Text className="presence-code pickup-code">{redemption.pickupCode?.split('').join(' ')}</Text>
      <View className="muted">{`请在 ${formatTime(redemption.expiresAt)} 前领取，过期积分自动退回`}</View>
      {redemption.actions.includes('cancel') && (
        <Button className="btn btn-plain actions cancel-redemption" onClick={onCancel}>
          不要了，退回积分
        </Button>
      )}
    </View>
  );
}

export default function MyRedemptions() {
  const load = useCallback(() => api.myRedemptions(), []);
  const { data: redemptions, error, reload } = useLoadOnShow(load);

  async function cancel(id: string): Promise<void> {
    const sure = await confirm({
      title: '不要这件了？',
      content: '积分会退回，物品放回超市。',
      yes: '取消兑换',
    });
    if (sure && (await attempt(() => api.cancelRedemption(id), '积分已退回'))) reload();
  }

  return (
    <PageFrame className="redemptions" error={error}>
      {redemptions?.length === 0 && (
        <EmptyState
          title="还没有兑换过物品"
          next={{ label: '去积分超市', onClick: () => Taro.navigateTo({ url: '/store/pages/goods/index' }) }}
        />
      )}
      {redemptions?.map((r) =>
        // The server offers 'cancel' exactly while the code can still be picked up (reserved).
        r.actions.includes('cancel') ? (
          <PickupCard key={r.id} redemption={r} onCancel={() => cancel(r.id)} />
        ) : (
          <View key={r.id} className="card redemption-done">
            <View className="order-card-head">
              <Text className="order-card-title">{`${r.goodsName} × ${r.quantity}`}</Text>
              <RedemptionTag status={r.status} />
            </View>
            <View className="muted">{`${r.points} 积分 · ${formatTime(r.createdAt)} 兑换`}</View>
          </View>
        ),
      )}
    </PageFrame>
  );
}
