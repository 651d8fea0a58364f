import { type OrderView, type PresenceCode, RATING_TAGS, RATINGS, ratingLabel } from '@llb/shared';
import { Button, Text, Textarea, View } from '@tarojs/components';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { useCallback, useEffect, useState } from 'react';
import { OrderFacts } from '../../components/order-facts';
import { QrCode } from '../../components/qr-code';
import { ReasonForm } from '../../components/reason-form';
import { Timeline } from '../../components/timeline';
import { api } from '../../services/api';
import { attempt, routerParam } from '../../services/feedback';
import { useLoadOnShow } from '../../services/use-load';
import './index.css';

/** The code refreshes itself while the page is open: the volunteer scans or the elder reads it out. */
function PresencePanel({ orderId }: { orderId: string }) {
  const [presence, setPresence] = useState<PresenceCode | null>(null);
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));
  useEffect(() => {
    if (!visible) return;
    const refresh = () =>
      api
        .presenceCode(orderId)
        .then(setPresence)
        .catch(() => setPresence(null));
    refresh();
    const timer = setInterval(refresh, 20_000);
    return () => clearInterval(timer);
  }, [orderId, visible]);
  if (!presence) return null;
  return (
    <View className="card presence">
      <Text className="subtitle">志愿者到了，请出示</Text>
      <QrCode value={presence.payload} size={420} />
      <Text className="presence-code">{presence.code.split('').join(' ')}</Text>
      <Text className="muted">也可以把这 6 个数字念给志愿者听，两分钟内有效</Text>
    </View>
  );
}

function RatePanel({ order, onDone }: { order: OrderView; onDone: (o: OrderView) => void }) {
  const [rating, setRating] = useState<1 | 2 | 3 | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
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
        onSubmit={dispute}
        onCancel={() => setDisputing(false)}
      />
    );
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
        maxlength={300}
        onInput={(e) => setComment(e.detail.value)}
      />
      <Button className="btn btn-primary actions submit-rating" onClick={submit}>
        提交评价
      </Button>
      <Button className="btn btn-plain dispute" onClick={() => setDisputing(true)}>
        服务没有做到，我有异议
      </Button>
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
    const answer = await Taro.showModal({
      title: '取消预约',
      content: '确定不需要这次服务了吗？',
      confirmText: '取消预约',
      cancelText: '再想想',
    });
    if (!answer.confirm) return;
    if (await attempt(() => api.cancelOrder(id), '已取消')) reload();
  }

  if (!order) return <View className="page">{error && <View className="error-text">{error}</View>}</View>;
  return (
    <View className="page order-detail">
      <OrderFacts order={order} />
      {(order.status === 'accepted' || order.status === 'in_service') && <PresencePanel orderId={order.id} />}
      {order.status === 'completed' && (
        <RatePanel
          order={order}
          onDone={(o) => {
            setOrder(o);
            reload();
          }}
        />
      )}
      {order.rating && (
        <View className="card">
          <Text className="row-label">我的评价：</Text>
          <Text className="row-value my-rating">{ratingLabel(order.rating)}</Text>
          {order.ratingTags && order.ratingTags.length > 0 && (
            <Text className="muted">{` ${order.ratingTags.join('、')}`}</Text>
          )}
        </View>
      )}
      {(order.status === 'open' || order.status === 'accepted') && (
        <Button className="btn btn-plain cancel-order" onClick={cancel}>
          取消预约
        </Button>
      )}
      <View className="subtitle">办理进度</View>
      <Timeline events={order.timeline ?? []} />
    </View>
  );
}
