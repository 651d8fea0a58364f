import {
  type OrderAction,
  type OrderView,
  type PresenceInput,
  presenceInput,
  presenceQr,
  reasonInput,
} from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { OrderFacts } from '../../../components/order-facts';
import { PageFrame } from '../../../components/page-frame';
import { ReasonForm } from '../../../components/reason-form';
import { Timeline } from '../../../components/timeline';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { formatTime } from '../../../services/format';
import { maxLength } from '../../../services/limits';
import { locateForPresence } from '../../../services/location';
import { usePolicy } from '../../../services/policy';
import { useLoadOnShow } from '../../../services/use-load';

/** Check-in and check-out: the code shown on the resident's phone (scanned or typed), or location. */
function PresenceActions({
  order,
  step,
  onDone,
}: {
  order: OrderView;
  step: 'check-in' | 'check-out';
  onDone: () => void;
}) {
  const orderId = order.id;
  const policy = usePolicy();
  const [code, setCode] = useState('');
  const verb = step === 'check-in' ? '签到' : '签退';
  // The server opens check-in at checkInOpensAt; the page only says when that is.
  const notYet = step === 'check-in' && Date.now() < Date.parse(order.checkInOpensAt);

  async function send(proof: PresenceInput): Promise<void> {
    const parsed = presenceInput.safeParse(proof);
    if (!parsed.success) {
      Taro.showToast({ title: parsed.error.issues[0]?.message ?? '请检查验证码', icon: 'none' });
      return;
    }
    const call = step === 'check-in' ? api.checkIn : api.checkOut;
    if (await attempt(() => call(orderId, parsed.data), `${verb}成功`)) {
      setCode('');
      onDone();
    }
  }

  async function scan(): Promise<void> {
    try {
      const { result } = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
      const scanned = presenceQr.decode(result, orderId);
      if (scanned) await send({ method: 'code', code: scanned });
      else Taro.showToast({ title: '这不是这个订单的验证码', icon: 'none' });
    } catch {
      // Cancelled, or no camera in this environment: typing the digits still works.
    }
  }

  const [locating, setLocating] = useState(false);
  const [locationProblem, setLocationProblem] = useState<string | null>(null);
  async function locate(): Promise<void> {
    if (locating) return;
    setLocating(true);
    setLocationProblem(null);
    // Without the policy yet, the server alone judges the distance.
    const found = await locateForPresence(step, policy?.checkInRadiusM ?? Number.POSITIVE_INFINITY);
    setLocating(false);
    if (found.ok) {
      await send({
        method: 'location',
        latitude: found.position.latitude,
        longitude: found.position.longitude,
      });
    } else {
      setLocationProblem(found.message);
    }
  }

  return (
    <View className="card presence-actions">
      <Text className="subtitle">{`到场${verb}`}</Text>
      {notYet && (
        <Text className="muted check-in-opens">{`${formatTime(order.checkInOpensAt)} 起可以签到${policy ? `（预约开始前 ${policy.checkInLeadMinutes} 分钟）` : ''}`}</Text>
      )}
      {step === 'check-out' && <Text className="muted">请居民出示签到之后的新验证码</Text>}
      {process.env.TARO_ENV === 'weapp' && (
        <Button className="btn btn-primary" onClick={scan}>
          {`扫居民手机上的码${verb}`}
        </Button>
      )}
      <Text className="field-label">或输入居民念给您的 6 位数字</Text>
      <Input
        className="field presence-input"
        type="number"
        maxlength={6}
        value={code}
        onInput={(e) => setCode(e.detail.value)}
      />
      <Button
        className="btn btn-primary actions submit-presence"
        onClick={() => send({ method: 'code', code })}
      >
        {`用数字${verb}`}
      </Button>
      <Button className="btn btn-plain locate-presence" disabled={locating || undefined} onClick={locate}>
        {locating ? '正在定位…' : `居民没有手机？用定位${verb}`}
      </Button>
      {locationProblem && <Text className="error-text location-problem">{locationProblem}</Text>}
      {policy && (
        <Text className="muted presence-rules">
          {`定位要在服务地址 ${policy.checkInRadiusM} 米以内；连续验证失败 ${policy.presenceMaxFailures} 次，要等 ${policy.presenceLockoutMinutes} 分钟再试。`}
        </Text>
      )}
    </View>
  );
}

export default function Task() {
  const id = routerParam('id');
  const load = useCallback(() => api.order(id), [id]);
  const { data: order, error, reload } = useLoadOnShow(load);

  const [releasing, setReleasing] = useState(false);
  async function release(reason: string): Promise<void> {
    if (await attempt(() => api.releaseOrder(id, reason), '已退回')) Taro.navigateBack();
  }

  if (!order) return <PageFrame className="task" error={error} />;
  const can = (action: OrderAction) => order.actions.includes(action);
  return (
    <PageFrame className="task" error={error}>
      <OrderFacts order={order} showPresence />
      {order.pointsNote && <View className="card muted points-note">{order.pointsNote}</View>}
      {can('check_in') && <PresenceActions order={order} step="check-in" onDone={reload} />}
      {can('check_out') && <PresenceActions order={order} step="check-out" onDone={reload} />}
      {can('release') && !releasing && (
        <Button className="btn btn-plain release-order" onClick={() => setReleasing(true)}>
          去不了了，退回任务
        </Button>
      )}
      {releasing && (
        <ReasonForm
          title="退回任务"
          placeholder="告诉社区为什么去不了"
          confirmText="退回任务"
          maxLength={maxLength(reasonInput.shape.reason)}
          onSubmit={release}
          onCancel={() => setReleasing(false)}
        />
      )}
      <View className="subtitle">办理进度</View>
      <Timeline events={order.timeline ?? []} />
    </PageFrame>
  );
}
