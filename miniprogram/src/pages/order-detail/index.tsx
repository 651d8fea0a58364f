import {
  confirmInput,
  disputeInput,
  type OrderAction,
  type OrderView,
  type PresenceCode,
  presenceQr,
  RATING_TAGS,
  RATINGS,
} from '@llb/shared';
import { Button, Text, Textarea, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { OrderFacts, RatingFacts } from '../../components/order-facts';
import { PageFrame } from '../../components/page-frame';
import { QrCode } from '../../components/qr-code';
import { ReasonForm } from '../../components/reason-form';
import { Timeline } from '../../components/timeline';
import { ApiError, api } from '../../services/api';
import { confirm } from '../../services/confirm';
import { attempt, routerParam } from '../../services/feedback';
import { formatSeconds } from '../../services/format';
import { maxLength } from '../../services/limits';
import { usePolicy } from '../../services/policy';
import { useLoadOnShow } from '../../services/use-load';
import './index.css';

/** Asks again when the code turns over (and at least every 20 s, in case the phone's clock is off). */
function refreshDelay(presence: PresenceCode): number {
  return Math.min(Math.max(Date.parse(presence.expiresAt) - Date.now() + 300, 1000), 20_000);
}

/**
 * The code refreshes itself while the page is open: the volunteer scans or the elder reads it out.
 * Shown while the server says so (the show_presence_code action); a refusal hides it.
 */
function PresencePanel({ order }: { order: OrderView }) {
  const policy = usePolicy();
  const [presence, setPresence] = useState<PresenceCode | null>(null);
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));
  const { id, checkedInAt } = order;
  const open = order.actions.includes('show_presence_code');
  useEffect(() => {
    if (!visible || !open) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const refresh = () =>
      api
        .presenceCode(id)
        .then((next) => {
          if (stopped) return;
          setPresence(next);
          timer = setTimeout(refresh, refreshDelay(next));
        })
        .catch((e: unknown) => {
          if (stopped) return;
          // A refusal (4xx) is the server saying there is nothing to prove now; anything else, try again soon.
          if (e instanceof ApiError && e.status >= 400 && e.status < 500) setPresence(null);
          else timer = setTimeout(refresh, 5000);
        });
    refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, open, visible]);
  if (!presence || !open) return null;
  return (
    <View className="card presence">
      <Text className="subtitle">{checkedInAt ? '服务结束时，请再出示一次' : '志愿者到了，请出示'}</Text>
      <QrCode value={presenceQr.encode(presence.orderId, presence.code)} size={420} />
      <Text className="presence-code">{presence.code.split('').join(' ')}</Text>
      <Text className="muted">
        {`也可以把这 6 个数字念给志愿者听${policy ? `，每 ${formatSeconds(policy.presenceCodeSeconds)}换一次` : ''}`}
      </Text>
    </View>
  );
}

/** 提出异议: wherever the server allows it (before confirming, or within policy disputeDays after). */
function DisputeButton({ order, onDone }: { order: OrderView; onDone: (o: OrderView) => void }) {
  const policy = usePolicy();
  const [disputing, setDisputing] = useState(false);
  async function dispute(reason: string): Promise<void> {
    const done = await attempt(() => api.disputeOrder(order.id, reason), '社区会尽快联系您');
    if (done) onDone(done);
  }
  if (disputing) {
    return (
      <ReasonForm
        title="服务没有做到？"
        placeholder="请说说发生了什么，社区会打电话核实"
        confirmText="提交异议"
        maxLength={maxLength(disputeInput.shape.reason)}
        onSubmit={dispute}
        onCancel={() => setDisputing(false)}
      />
    );
  }
  return (
    <View>
      <Button className="btn btn-plain dispute" onClick={() => setDisputing(true)}>
        服务没有做到，我要提出异议
      </Button>
      {order.confirmedAt && policy && (
        <Text className="muted dispute-hint">{`评价后 ${policy.disputeDays} 天内都可以提出异议`}</Text>
      )}
    </View>
  );
}

function RatePanel({ order, onDone }: { order: OrderView; onDone: (o: OrderView) => void }) {
  const [rating, setRating] = useState<1 | 2 | 3 | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const policy = usePolicy();
  const toggle = (tag: string) =>
    setTags((t) => (t.includes(tag) ? t.filter((x) => x !== tag) : [...t, tag]));

  async function submit(): Promise<void> {
    if (!rating) {
      Taro.showToast({ title: '请先选很好、好或一般', icon: 'none' });
      return;
    }
    const done = await attempt(
      () => api.confirmOrder(order.id, { rating, tags: tags as (typeof RATING_TAGS)[number][], comment }),
      '谢谢您的评价',
    );
    if (done) onDone(done);
  }

  return (
    <View className="card rate">
      <Text className="subtitle">服务怎么样？</Text>
      <View className="rate-choices">
        {RATINGS.map((r) => (
          <Button
            key={r.value}
            className={`btn rate-choice ${rating === r.value ? 'btn-primary' : 'btn-plain'}`}
            onClick={() => setRating(r.value)}
          >
            {r.label}
          </Button>
        ))}
      </View>
      <View>
        {RATING_TAGS.map((tag) => (
          <Text
            key={tag}
            className={`chip rate-tag ${tags.includes(tag) ? 'chip-on' : ''}`}
            onClick={() => toggle(tag)}
          >
            {tag}
          </Text>
        ))}
      </View>
      <Textarea
        className="field field-area"
        placeholder="还想说点什么（可不填）"
        value={comment}
        maxlength={maxLength(confirmInput.shape.comment)}
        onInput={(e) => setComment(e.detail.value)}
      />
      <Button className="btn btn-primary actions submit-rating" onClick={submit}>
        提交评价
      </Button>
      {policy && (
        <Text className="muted">{`${policy.autoConfirmHours} 小时内没有评价，系统会按“好”自动确认`}</Text>
      )}
    </View>
  );
}

export default function OrderDetail() {
  const id = routerParam('id');
  const load = useCallback(() => api.order(id), [id]);
  const { data, error, reload } = useLoadOnShow(load);
  const [order, setOrder] = useState<OrderView | null>(null);
  useEffect(() => setOrder(data), [data]);

  async function cancel(): Promise<void> {
    const sure = await confirm({ title: '取消预约', content: '确定不需要这次服务了吗？', yes: '取消预约' });
    if (!sure) return;
    if (await attempt(() => api.cancelOrder(id), '已取消')) reload();
  }

  if (!order) return <PageFrame className="order-detail" error={error} />;
  const can = (action: OrderAction) => order.actions.includes(action);
  const done = (o: OrderView) => {
    setOrder(o);
    reload();
  };
  return (
    <PageFrame className="order-detail" error={error}>
      <OrderFacts order={order} />
      <PresencePanel order={order} />
      {can('confirm') && <RatePanel order={order} onDone={done} />}
      <RatingFacts order={order} title="我的评价" />
      {can('dispute') && <DisputeButton order={order} onDone={done} />}
      {can('cancel') && (
        <Button className="btn btn-plain cancel-order" onClick={cancel}>
          取消预约
        </Button>
      )}
      <View className="subtitle">办理进度</View>
      <Timeline events={order.timeline ?? []} />
    </PageFrame>
  );
}
