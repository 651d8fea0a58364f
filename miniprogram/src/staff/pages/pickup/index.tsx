import { pickupInput, pickupQr, type Redemption } from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';

/** 核销: scan or type the volunteer's pickup code, then hand the goods over. */
export default function Pickup() {
  const communityId = routerParam('communityId');
  const [code, setCode] = useState('');
  const [done, setDone] = useState<Redemption | null>(null);

  async function submit(raw: string): Promise<void> {
    // A scan carries the pickup QR's text, typing just the digits: both decode to the code.
    const parsed = pickupInput.safeParse({ code: pickupQr.decode(raw) });
    if (!parsed.success) {
      Taro.showToast({ title: parsed.error.issues[0]?.message ?? '请检查取货码', icon: 'none' });
      return;
    }
    const redemption = await attempt(() => api.pickUp(communityId, parsed.data.code), '核销成功');
    if (redemption) {
      setDone(redemption);
      setCode('');
    }
  }

  async function scan(): Promise<void> {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      await submit(result);
    } catch {
      // Cancelled or no camera: typing the code still works.
    }
  }

  return (
    <PageFrame className="pickup" audience="staff">
      {process.env.TARO_ENV === 'weapp' && (
        <Button className="btn btn-primary" onClick={scan}>
          扫取货码
        </Button>
      )}
      <View className="card">
        <Text className="field-label">输入 6 位取货码</Text>
        <Input
          className="field pickup-input"
          type="number"
          maxlength={6}
          value={code}
          onInput={(e) => setCode(e.detail.value)}
        />
        <Button className="btn btn-primary actions submit-pickup" onClick={() => submit(code)}>
          核销并发放
        </Button>
      </View>
      {done && (
        <View className="card pickup-done">
          <Text className="subtitle">请把物品交给志愿者</Text>
          <Row label="物品" value={`${done.goodsName} × ${done.quantity}`} valueClassName="pickup-goods" />
          <Row label="志愿者" value={done.volunteerName} />
          <Row label="用了" value={`${done.points} 积分`} />
        </View>
      )}
    </PageFrame>
  );
}
