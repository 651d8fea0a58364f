import { pickupQr, REDEMPTION_STATUS_LABELS, type Redemption } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { QrCode } from '../../../components/qr-code';
import { api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { formatTime } from '../../../services/format';
import { useLoadOnShow } from '../../../services/use-load';

/** A code still to be used: staff hand the goods over by it; the volunteer may give it back while the server allows. */
function PickupCard({ redemption, onCancel }: { redemption: Redemption; onCancel: () => void }) {
  return (
    <View className="card presence redemption-open">
      <Text className="order-card-title">{`${redemption.goodsName} × ${redemption.quantity}`}</Text>
      <Text className="muted">请到社区出示，工作人员扫码或输入取货码</Text>
      {redemption.pickupCode && <QrCode value={pickupQr.encode(redemption.pickupCode)} size={360} />}
      <Text className="presence-code pickup-code">{redemption.pickupCode?.split('').join(' ')}</Text>
      <Text className="muted">{`请在 ${formatTime(redemption.expiresAt)} 前领取，过期积分自动退回`}</Text>
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
    const answer = await Taro.showModal({
      title: '取消兑换',
      content: '积分会退回，物品放回超市。',
      confirmText: '取消兑换',
    });
    if (answer.confirm && (await attempt(() => api.cancelRedemption(id), '积分已退回'))) reload();
  }

  return (
    <View className="page redemptions">
      {error && <View className="error-text">{error}</View>}
      {redemptions?.length === 0 && <View className="card muted">还没有兑换过物品。</View>}
      {redemptions?.map((r) =>
        // The server offers 'cancel' exactly while the code can still be picked up (reserved).
        r.actions.includes('cancel') ? (
          <PickupCard key={r.id} redemption={r} onCancel={() => cancel(r.id)} />
        ) : (
          <View key={r.id} className="card row">
            <Text className="row-label">{`${r.goodsName} × ${r.quantity}`}</Text>
            <Text className="row-value">{`${REDEMPTION_STATUS_LABELS[r.status]} · ${r.points} 积分`}</Text>
          </View>
        ),
      )}
    </View>
  );
}
