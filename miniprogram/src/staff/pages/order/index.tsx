import {
  type AssignableVolunteer,
  type OrderAction,
  reasonInput,
  resolveInput,
  reviewServiceInput,
  staffPresenceInput,
} from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { OrderFacts, RatingFacts } from '../../../components/order-facts';
import { PageFrame } from '../../../components/page-frame';
import { ReasonForm } from '../../../components/reason-form';
import { Row } from '../../../components/row';
import { Timeline } from '../../../components/timeline';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt, routerParam } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';
import { useLoadOnShow } from '../../../services/use-load';

/** The steps that need a few words from staff, and how the page asks for them. */
const reasonMax = maxLength(reasonInput.shape.reason);
const noteMax = maxLength(resolveInput.shape.note);
const reviewMax = maxLength(reviewServiceInput.shape.note);
const presenceMax = maxLength(staffPresenceInput.shape.note);
const PRESENCE_WARNING =
  '这一步会记下您的名字，统计时和居民验证码、定位签到分开计算。请先打电话向居民核实，再如实填写。';
interface AskSpec {
  title: string;
  hint?: string;
  placeholder: string;
  confirm: string;
  max: number;
}
const ASKS = {
  cancel: { title: '取消订单', placeholder: '取消原因', confirm: '取消订单', max: reasonMax },
  release: {
    title: '收回订单，重新派单',
    placeholder: '为什么收回（比如志愿者临时去不了）',
    confirm: '收回订单',
    max: reasonMax,
  },
  uphold: {
    title: '核实：服务属实',
    placeholder: '写下回访核实的情况',
    confirm: '确认服务属实',
    max: noteMax,
  },
  void: {
    title: '核实：服务没有发生',
    placeholder: '写下回访核实的情况',
    confirm: '确认服务没有发生',
    max: noteMax,
  },
  approve: {
    title: '认可这次服务',
    placeholder: '核实的情况（可不填）',
    confirm: '认可并计积分',
    max: reviewMax,
  },
  reject: {
    title: '不认可这次服务',
    placeholder: '写明原因，志愿者会看到',
    confirm: '不认可',
    max: reviewMax,
  },
  staff_check_in: {
    title: '电话核实：志愿者已到',
    hint: PRESENCE_WARNING,
    placeholder: '例如：已电话联系居民王阿姨，确认志愿者已到',
    confirm: '确认志愿者已到',
    max: presenceMax,
  },
  staff_check_out: {
    title: '电话核实：服务已结束',
    hint: PRESENCE_WARNING,
    placeholder: '例如：已电话联系居民王阿姨，确认服务已做完、志愿者已离开',
    confirm: '确认服务已结束',
    max: presenceMax,
  },
} as const satisfies Record<string, AskSpec>;
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
    const sure = await confirm({
      title: '指派志愿者',
      content: `把这一单派给${volunteer.name}？派出后会通知这位志愿者，去不了时他可以退回。`,
      yes: '确定派单',
    });
    if (!sure) return;
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
      case 'staff_check_in':
      case 'staff_check_out':
        return sendPresence(ask, reason);
    }
  }

  function sendPresence(ask: 'staff_check_in' | 'staff_check_out', note: string) {
    const step = ask === 'staff_check_in' ? 'check_in' : 'check_out';
    const parsed = staffPresenceInput.safeParse({ step, note });
    if (!parsed.success) {
      Taro.showToast({ title: parsed.error.issues[0]?.message ?? '请写明核实情况', icon: 'none' });
      return null;
    }
    return attempt(() => api.staffPresence(id, step, parsed.data.note), '已记录');
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
    const sure = await confirm({
      title: '结对帮扶',
      content: `让${order.volunteerName}和${order.residentName}结对？以后${order.residentName}的订单会优先派给这位志愿者。`,
      yes: '结对',
    });
    if (!sure) return;
    await attempt(() => api.pairVolunteer(order.residentId, volunteerId), '已结对，以后优先派给这位志愿者');
  }

  if (!order) return <PageFrame className="staff-order" audience="staff" error={error} />;
  const can = (action: OrderAction) => order.actions.includes(action);
  return (
    <PageFrame className="staff-order" audience="staff" error={error}>
      <OrderFacts order={order} showPresence />
      <RatingFacts order={order} title="居民评价" />
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
          <Row label="居民说" value={order.disputeReason ?? ''} stack />
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
      {(can('staff_check_in') || can('staff_check_out')) && (
        <View className="card staff-presence">
          <Text className="subtitle">居民没法出示验证码？</Text>
          <View className="muted">
            打电话问过居民后，可以由您替志愿者确认到场或离开。这一步会记下您的名字，统计时单独计算。
          </View>
          {can('staff_check_in') && (
            <Button
              className="btn btn-secondary actions staff-check-in"
              onClick={() => setAsking('staff_check_in')}
            >
              电话核实：志愿者已到
            </Button>
          )}
          {can('staff_check_out') && (
            <Button
              className="btn btn-secondary actions staff-check-out"
              onClick={() => setAsking('staff_check_out')}
            >
              电话核实：服务已结束
            </Button>
          )}
        </View>
      )}
      {can('assign') && (
        <Button className="btn btn-primary assign-open" onClick={showCandidates}>
          指派志愿者
        </Button>
      )}
      {candidates?.length === 0 && (
        <EmptyState
          title="没有符合条件又有空的志愿者"
          hint="可以等派单系统扩大范围，或打电话问问熟悉的志愿者。"
          next={{ label: '收起', onClick: () => setCandidates(null) }}
        />
      )}
      {candidates && candidates.length > 0 && (
        <View className="card">
          <Text className="subtitle">点一位志愿者派单</Text>
          {candidates.map((v) => (
            <Row
              key={v.id}
              className="candidate"
              label={v.name}
              value={`${v.phone}  进行中 ${v.activeTasks} · 完成 ${v.completedTasks}`}
              onClick={() => assign(v)}
            />
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
          hint={(ASKS[asking] as AskSpec).hint}
          placeholder={ASKS[asking].placeholder}
          confirmText={ASKS[asking].confirm}
          maxLength={ASKS[asking].max}
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
    </PageFrame>
  );
}
