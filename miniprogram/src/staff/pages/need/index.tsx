import { type NeedView, reviewNeedInput } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import { useCallback, useEffect, useState } from 'react';
import { ContentFlag, NEED_EVENT_LABELS, NeedFacts, suggestionText } from '../../../components/need-parts';
import { PageFrame } from '../../../components/page-frame';
import { ReasonForm } from '../../../components/reason-form';
import { Timeline } from '../../../components/timeline';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt, routerParam } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';
import { usePolicy } from '../../../services/policy';
import { useLoadOnShow } from '../../../services/use-load';
import { CaseForm } from './case-form';
import { MergeDecision } from './merge-decision';
import { OrderDecision } from './order-decision';
import { WishDecision } from './wish-decision';
import './index.css';

type Decision = 'publish_wish' | 'make_order' | 'open_case' | 'merge' | 'decline';
const DECISIONS: [Decision, string][] = [
  ['publish_wish', '发布为微心愿'],
  ['make_order', '帮居民预约服务'],
  ['open_case', '作为社区事务受理'],
  ['merge', '和另一条求助合并'],
  ['decline', '不受理'],
];
const DECLINE_MAX = maxLength(reviewNeedInput.options[4].shape.reason, 300);

/** What staff need to judge a need: the routing model's suggestion and the content check's verdict. */
function StaffNotes({ need }: { need: NeedView }) {
  if (!need.suggestion && !need.contentCheck) return null;
  return (
    <View className="card staff-need-notes">
      {need.suggestion && <View className="staff-suggestion">{suggestionText(need.suggestion)}</View>}
      <View className="need-tags">
        <ContentFlag need={need} />
      </View>
      {need.contentNote && <View className="muted content-note">{need.contentNote}</View>}
    </View>
  );
}

/** A need as staff see it: judge it with one of five decisions (as the server allows), then follow a 社区事务. */
export default function StaffNeed() {
  const id = routerParam('id');
  const policy = usePolicy();
  const load = useCallback(() => api.need(id), [id]);
  const { data, error, reload } = useLoadOnShow(load);
  const [need, setNeed] = useState<NeedView | null>(null);
  const [deciding, setDeciding] = useState<Decision | null>(null);
  useEffect(() => setNeed(data), [data]);
  const done = (next: NeedView) => {
    setNeed(next);
    setDeciding(null);
    reload();
  };

  async function openCase(): Promise<void> {
    const sure = await confirm({
      title: '作为社区事务受理',
      content: '交给社区办公室或物业处理。受理后请在这里写处理进展，居民会收到。',
      yes: '受理',
    });
    if (!sure) return;
    const opened = await attempt(() => api.reviewNeed(id, { decision: 'open_case' }), '已受理');
    if (opened) done(opened);
  }

  if (!need) return <PageFrame className="staff-need" audience="staff" error={error} />;
  const decisions = DECISIONS.filter(([d]) => need.actions.includes(d));
  const decide = (d: Decision) => (d === 'open_case' ? openCase() : setDeciding(d));
  return (
    <PageFrame className="staff-need" audience="staff" error={error}>
      <StaffNotes need={need} />
      <NeedFacts need={need} orderPage="/staff/pages/order/index" />
      {decisions.length > 0 && !deciding && (
        <View className="decisions">
          <Text className="subtitle">怎么处理这条求助？</Text>
          {decisions.map(([d, label]) => (
            <Button key={d} className={`btn btn-secondary decide decide-${d}`} onClick={() => decide(d)}>
              {label}
            </Button>
          ))}
        </View>
      )}
      {deciding && (
        <Button className="btn btn-plain decide-other" onClick={() => setDeciding(null)}>
          ‹ 换一种处理方式
        </Button>
      )}
      {deciding === 'publish_wish' && policy && <WishDecision need={need} policy={policy} onDone={done} />}
      {deciding === 'make_order' && policy && <OrderDecision need={need} policy={policy} onDone={done} />}
      {deciding === 'merge' && <MergeDecision need={need} onDone={done} />}
      {deciding === 'decline' && (
        <ReasonForm
          title="不受理的原因"
          hint="居民会看到这段话，请说清楚原因，能帮到的地方也写上。"
          placeholder="比如：这件事归供电公司管，电话 95598。"
          confirmText="不受理"
          maxLength={DECLINE_MAX}
          onSubmit={async (reason) => {
            const declined = await attempt(
              () => api.reviewNeed(id, { decision: 'decline', reason }),
              '已答复居民',
            );
            if (declined) done(declined);
          }}
          onCancel={() => setDeciding(null)}
        />
      )}
      {need.case && need.actions.includes('update_case') && <CaseForm caseId={need.case.id} onDone={done} />}
      <View className="subtitle">办理进度</View>
      <Timeline events={need.timeline ?? []} labels={NEED_EVENT_LABELS} />
    </PageFrame>
  );
}
