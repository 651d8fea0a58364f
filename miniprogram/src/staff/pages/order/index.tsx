import { type AssignableVolunteer, ratingLabel } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { OrderFacts } from '../../../components/order-facts';
import { ReasonForm } from '../../../components/reason-form';
import { Timeline } from '../../../components/timeline';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

/** Staff handle one order: 派单 by hand, decide a dispute, cancel for the resident. */
export default function StaffOrder() {
  const id = routerParam('id');
  const load = useCallback(() => api.order(id), [id]);
  const { data: order, error, reload } = useLoadOnShow(load);
  const [candidates, setCandidates] = useState<AssignableVolunteer[] | null>(null);

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

  // Which reason the page is asking for: a dispute decision or a cancellation.
  const [asking, setAsking] = useState<'uphold' | 'void' | 'cancel' | null>(null);

  async function submitReason(reason: string): Promise<void> {
    const done =
      asking === 'cancel'
        ? await attempt(() => api.cancelOrder(id, reason), '已取消')
        : asking
          ? await attempt(() => api.resolveDispute(id, asking, reason), '已处理')
          : null;
    if (done) {
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
  return (
    <View className="page staff-order">
      <OrderFacts order={order} />
      {order.rating && (
        <View className="card">{`居民评价：${ratingLabel(order.rating)} ${order.ratingTags?.join('、') ?? ''} ${order.ratingComment ?? ''}`}</View>
      )}
      {order.status === 'disputed' && (
        <View className="card">
          <Text className="subtitle">居民的异议</Text>
          <View>{order.disputeReason}</View>
          <Button className="btn btn-primary actions resolve-uphold" onClick={() => setAsking('uphold')}>
            回访核实：服务属实
          </Button>
          <Button className="btn btn-secondary resolve-void" onClick={() => setAsking('void')}>
            回访核实：服务没有发生
          </Button>
        </View>
      )}
      {order.status === 'open' && (
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
      {(order.status === 'open' || order.status === 'accepted') && (
        <Button className="btn btn-plain" onClick={() => setAsking('cancel')}>
          取消订单
        </Button>
      )}
      {asking && (
        <ReasonForm
          title={
            asking === 'cancel' ? '取消订单' : asking === 'uphold' ? '核实：服务属实' : '核实：服务没有发生'
          }
          placeholder={asking === 'cancel' ? '取消原因' : '写下回访核实的情况'}
          confirmText="确定"
          onSubmit={submitReason}
          onCancel={() => setAsking(null)}
        />
      )}
      {order.volunteerId && order.status === 'confirmed' && (
        <Button className="btn btn-plain pair-volunteer" onClick={pair}>
          {`让${order.volunteerName}和${order.residentName}结对帮扶`}
        </Button>
      )}
      <View className="subtitle">办理进度</View>
      <Timeline events={order.timeline ?? []} />
    </View>
  );
}
