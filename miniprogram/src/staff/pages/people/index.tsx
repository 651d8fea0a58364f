import { SKILL_CLAIM_LABELS, UPLOAD_PATH, type VolunteerApplication } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Points } from '../../../components/amount';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { Photo } from '../../../components/photo';
import { ReasonForm } from '../../../components/reason-form';
import { Row } from '../../../components/row';
import { VOLUNTEER_STATUS, VolunteerTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

const FILTERS = [
  ['', '全部'],
  ['pending', '待审核'],
  ['approved', '已认证'],
] as const;

/** The community's volunteers with their points; 待审核 from the console opens this list filtered. */
export default function People() {
  const communityId = routerParam('communityId');
  const [filter, setFilter] = useState(routerParam('status'));
  const load = useCallback(() => api.communityVolunteers(communityId), [communityId]);
  const { data: people, error, loading, reload } = useLoadOnShow(load);
  const loadApplications = useCallback(() => api.applications(communityId), [communityId]);
  const { data: applications, reload: reloadApplications } = useLoadOnShow(loadApplications);
  const [asking, setAsking] = useState<{ userId: string; kind: Ask } | null>(null);
  const done = () => {
    setAsking(null);
    reload();
    reloadApplications();
  };
  const act = async (action: () => Promise<unknown>, success: string) => {
    if (await attempt(action, success)) done();
  };
  const byId = new Map((applications ?? []).map((a) => [a.userId, a]));
  const shown = (people ?? []).filter((p) => !filter || p.status === filter);
  const label = VOLUNTEER_STATUS[filter]?.label;

  return (
    <PageFrame className="people" audience="staff" error={error}>
      <View className="menu-filters">
        {FILTERS.map(([value, text]) => (
          <Text
            key={value}
            className={`chip people-filter ${filter === value ? 'chip-on' : ''}`}
            onClick={() => setFilter(value)}
          >
            {text}
          </Text>
        ))}
      </View>
      {filter === 'pending' && (
        <View className="card muted pending-note">
          待审核的志愿者还不能接单。请核对身份和专长（需证明的专长看资质照片）后审核。
        </View>
      )}
      {asking && (
        <ReasonForm
          title={ASK_TITLES[asking.kind]}
          placeholder="写明原因，对方会看到"
          confirmText="确定"
          maxLength={200}
          onCancel={() => setAsking(null)}
          onSubmit={(reason) =>
            act(
              () =>
                asking.kind === 'suspend' || asking.kind === 'reinstate'
                  ? api.setSuspended(asking.userId, asking.kind === 'suspend', reason)
                  : api.reviewVolunteer(asking.userId, asking.kind, reason),
              '已处理',
            )
          }
        />
      )}
      {!loading && shown.length === 0 && (
        <EmptyState
          title={label ? `没有${label}的志愿者` : '社区还没有志愿者'}
          next={filter ? { label: '看全部志愿者', onClick: () => setFilter('') } : null}
        />
      )}
      {shown.length > 0 && (
        <View className="card">
          {shown.map((p) => (
            <Row
              key={p.id}
              className="person"
              label={p.name}
              onClick={() => Taro.navigateTo({ url: `/staff/pages/ledger/index?userId=${p.id}` })}
            >
              <View>
                <VolunteerTag status={p.status} />
              </View>
              <View className="muted">{p.phone}</View>
              <Points value={p.balance} />
              <View onClick={(e) => e.stopPropagation()}>
                <Button
                  className="btn btn-plain person-records"
                  onClick={() =>
                    Taro.navigateTo({ url: `/staff/pages/volunteer-records/index?userId=${p.id}` })
                  }
                >
                  服务记录和证明
                </Button>
              </View>
              {byId.get(p.id) && (
                <Review application={byId.get(p.id) as VolunteerApplication} onAct={act} onAsk={setAsking} />
              )}
            </Row>
          ))}
        </View>
      )}
    </PageFrame>
  );
}

const ASK_TITLES = {
  reject: '不通过的原因',
  more_info: '请对方补充什么',
  suspend: '暂停的原因',
  reinstate: '恢复的原因',
} as const;

type Ask = 'reject' | 'more_info' | 'suspend' | 'reinstate';

/** What staff last wrote to the applicant, and how it reads (display only). */
const NOTE_LABELS: Partial<Record<VolunteerApplication['reviewState'], string>> = {
  more_info: '已请补充：',
  rejected: '未通过的原因：',
  suspended: '暂停的原因：',
};

/** The proof photo staff judge before certifying (a link sent before photos, as text). */
function SkillProof({ url }: { url: string | null }) {
  if (!url) return <View className="muted skill-proof-missing">没有上传证明照片</View>;
  if (!UPLOAD_PATH.test(url)) return <View className="muted skill-proof-link">{`证明链接：${url}`}</View>;
  return <Photo url={url} className="skill-proof-photo" />;
}

/** One volunteer's application: masked ID, skills with proof, and what staff may do now. */
function Review(props: {
  application: VolunteerApplication;
  onAct: (action: () => Promise<unknown>, success: string) => void;
  onAsk: (ask: { userId: string; kind: Ask }) => void;
}) {
  const a = props.application;
  const ask = (kind: Ask) => props.onAsk({ userId: a.userId, kind });
  return (
    <View className="application" onClick={(e) => e.stopPropagation()}>
      {a.idNumberMasked && <View className="muted">{`身份证 ${a.idNumberMasked}`}</View>}
      {a.isPartyMember && <View className="muted">{`在职党员 · ${a.employer ?? ''}`}</View>}
      {NOTE_LABELS[a.reviewState] && a.reviewNote && (
        <View className="muted">{`${NOTE_LABELS[a.reviewState]}${a.reviewNote}`}</View>
      )}
      {a.skills.map((s) => (
        <View key={s.code} className="muted application-skill">
          <View>{`${s.name}${s.licensed ? `（${SKILL_CLAIM_LABELS[s.status]}）` : ''}`}</View>
          {s.licensed && <SkillProof url={s.proofUrl} />}
          {s.actions.includes('certify') && (
            <Button
              className="btn btn-secondary certify-skill"
              onClick={() =>
                props.onAct(() => api.certifySkill(a.userId, s.code, true, '', s.proofUrl), '已认证')
              }
            >
              {`认证${s.name}`}
            </Button>
          )}
          {s.actions.includes('revoke') && (
            <Button
              className="btn btn-plain revoke-skill"
              onClick={() =>
                props.onAct(() => api.certifySkill(a.userId, s.code, false, '资质需要复核'), '已撤销')
              }
            >
              {`撤销${s.name}的认证`}
            </Button>
          )}
        </View>
      ))}
      {a.actions.includes('review') && (
        <View className="actions">
          <Button
            className="btn btn-primary review-approve"
            onClick={() => props.onAct(() => api.reviewVolunteer(a.userId, 'approve'), '已通过')}
          >
            通过
          </Button>
          <Button className="btn btn-plain review-more" onClick={() => ask('more_info')}>
            请补充材料
          </Button>
          <Button className="btn btn-plain review-reject" onClick={() => ask('reject')}>
            不通过
          </Button>
        </View>
      )}
      {a.actions.includes('suspend') && (
        <Button className="btn btn-plain suspend" onClick={() => ask('suspend')}>
          暂停服务
        </Button>
      )}
      {a.actions.includes('reinstate') && (
        <Button className="btn btn-plain reinstate" onClick={() => ask('reinstate')}>
          恢复服务
        </Button>
      )}
    </View>
  );
}
