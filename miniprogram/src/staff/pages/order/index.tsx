import { type AssignableVolunteer, type OrderAction, ratingLabel } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { OrderFacts } from '../../../components/order-facts';
import { ReasonForm } from '../../../components/reason-form';
import { Timeline } from '../../../components/timeline';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

/** The steps that need a few words from staff, and how the page asks for them. */
const ASKS = {
  cancel: { title: '取消订单', placeholder: '取消原因' },
  release: { title: '收回订单，重新派单', placeholder: '为什么收回（比如志愿者临时去不了）' },
  uphold: { title: '核实：服务属实', placeholder: '写下回访核实的情况' },
  void: { title: '核实：服务没有发生', placeholder: '写下回访核实的情况' },
  approve: { title: '认可这次服务', placeholder: '核实的情况（可不填）' },
  reject: { title: '不认可这次服务', placeholder: '写明原因，志愿者会看到' },
} as const;
type Ask = keyof typeof ASKS;

/** Staff handle one order: 派单 by hand, decide a dispute or a too-short service, cancel for the resident. */
export default function StaffOrder() {
  const id = routerParam('id');
  const load = useCallback(() => api.order(id), [id]);
  const { data: order, error, reload } = useLoadOnShow(load);
  const [candidates, setCandidates] = useState<AssignableVolunteer[] | null>(null);
  const [asking, setAsking] = useState<Ask | null>(null);

  async function showCandidates(): Promise<void> {
    const found = await attempt(() => api.assignableVolunteers(id));
    if (found) setCandidates(found);
  }

  async function assign(volunteer: AssignableVolunteer): Promise<void> {
    if (await attempt(() => api.assignOrder(id, volunteer.id), `已派给${volunteer.name}`)) {
      setCandidates(null);
      reload();
    }
  }

  function send(ask: Ask, reason: string) {
    switch (ask) {
      case 'cancel':
        return attempt(() => api.cancelOrder(id, reason), '已取消');
      case 'release':
        return attempt(() => api.releaseOrder(id, reason), '已收回');
      case 'uphold':
      case 'void':
        return attempt(() => api.resolveDispute(id, ask, reason), '已处理');
      case 'approve':
      case 'reject':
        return attempt(() => api.reviewService(id, ask, reason), '已核实');
    }
  }

  async function submitReason(reason: string): Promise<void> {
    if (asking && (await send(asking, reason))) {
      setAsking(null);
      reload();
    }
  }

  async function pair(): Promise<void> {
    if (!order?.volunteerId) return;
    const volunteerId = order.volunteerId;
    await attempt(() => api.pairVolunteer(order.residentId, volunteerId), '已结对，以后优先派给这位志愿者');
  }

  if (!order) return <View className="page">{error && <View className="error-text">{error}</View>}</View>;
  const can = (action: OrderAction) => order.actions.includes(action);
  return (
    <View className="page staff-order">
      <OrderFacts order={order} />
      {order.rating && (
        <View className="card">{`居民评价：${ratingLabel(order.rating)} ${order.ratingTags?.join('、') ?? ''} ${order.ratingComment ?? ''}`}</View>
      )}
      {order.pointsNote && <View className="card muted points-note">{order.pointsNote}</View>}
      {can('review_service') && (
        <View className="card review-service">
          <Text className="subtitle">核实服务记录</Text>
          <View className="muted">服务时间比项目要求的短，请回访居民后决定是否计积分。</View>
          <Button className="btn btn-primary actions review-approve" onClick={() => setAsking('approve')}>
            服务属实，照常计积分
          </Button>
          <Button className="btn btn-secondary review-reject" onClick={() => setAsking('reject')}>
            不认可，不计积分
          </Button>
        </View>
      )}
      {(can('uphold') || can('void')) && (
        <View className="card">
          <Text className="subtitle">居民的异议</Text>
          <View>{order.disputeReason}</View>
          {can('uphold') && (
            <Button className="btn btn-primary actions resolve-uphold" onClick={() => setAsking('uphold')}>
              回访核实：服务属实
            </Button>
          )}
          {can('void') && (
            <Button className="btn btn-secondary resolve-void" onClick={() => setAsking('void')}>
              回访核实：服务没有发生
            </Button>
          )}
        </View>
      )}
      {can('assign') && (
        <Button className="btn btn-primary assign-open" onClick={showCandidates}>
          指派志愿者
        </Button>
      )}
      {candidates && (
        <View className="card">
          {candidates.length === 0 && <Text className="muted">没有符合条件又有空的志愿者。</Text>}
          {candidates.map((v) => (
            <View key={v.id} className="row candidate" onClick={() => assign(v)}>
              <Text className="row-label">{`${v.name} ${v.phone}`}</Text>
              <Text className="row-value">{`进行中 ${v.activeTasks} · 完成 ${v.completedTasks}`}</Text>
            </View>
          ))}
        </View>
      )}
      {can('release') && (
        <Button className="btn btn-plain release-order" onClick={() => setAsking('release')}>
          收回订单，重新派单
        </Button>
      )}
      {can('cancel') && (
        <Button className="btn btn-plain cancel-order" onClick={() => setAsking('cancel')}>
          取消订单
        </Button>
      )}
      {asking && (
        <ReasonForm
          key={asking}
          title={ASKS[asking].title}
          placeholder={ASKS[asking].placeholder}
          confirmText="确定"
          onSubmit={submitReason}
          onCancel={() => setAsking(null)}
        />
      )}
      {order.volunteerId && (
        <Button className="btn btn-plain pair-volunteer" onClick={pair}>
          {`让${order.volunteerName}和${order.residentName}结对帮扶`}
        </Button>
      )}
      <View className="subtitle">办理进度</View>
      <Timeline events={order.timeline ?? []} />
    </View>
  );
}
