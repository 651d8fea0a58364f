import type { VolunteerSummary } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { VolunteerTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { formatMinutes } from '../../../services/format';
import { openHome } from '../../../services/navigation';
import { useLoadOnShow } from '../../../services/use-load';

const go = (url: string) => () => Taro.navigateTo({ url });

export default function VolunteerProfile() {
  const load = useCallback(async () => {
    const me = await api.me();
    const summary: VolunteerSummary | null = me.volunteer ? await api.volunteerSummary() : null;
    return { me, summary };
  }, []);
  const { data, error } = useLoadOnShow(load);
  const me = data?.me;
  const summary = data?.summary;
  const volunteer = me?.volunteer;

  return (
    <PageFrame className="volunteer-profile" error={error}>
      {me && !volunteer && (
        <EmptyState
          title="您还不是志愿者"
          hint="请到社区登记，审核通过后就能接单。"
          next={{ label: '回首页', onClick: openHome }}
        />
      )}
      {me && volunteer && (
        <View>
          <View className="card">
            <Row label="志愿者" value={me.name} />
            <Row label="认证状态">
              <VolunteerTag status={volunteer.status} className="volunteer-status" />
            </Row>
            <Row
              label="报到社区"
              value={`${volunteer.communityName}${volunteer.isPartyMember ? ' · 在职党员' : ''}`}
            />
            <Row label="服务范围" value={`${(volunteer.serviceRadiusM / 1000).toFixed(1)} 公里内`} />
          </View>
          {/* The server decides who may take orders (me.volunteer.actions). */}
          {!volunteer.actions.includes('take_tasks') && (
            <View className="card muted">社区审核通过、没有暂停时，这里会出现任务大厅和派给您的任务。</View>
          )}
          {volunteer.actions.includes('take_tasks') && (
            <View>
              <Button className="btn btn-primary my-offers" onClick={go('/volunteer/pages/offers/index')}>
                派给我的任务
              </Button>
              <Button className="btn btn-primary" onClick={go('/volunteer/pages/hall/index')}>
                任务大厅
              </Button>
              <Button className="btn btn-secondary" onClick={go('/volunteer/pages/tasks/index')}>
                我的任务
              </Button>
              <Button className="btn btn-secondary my-points" onClick={go('/store/pages/wallet/index')}>
                我的积分和兑换
              </Button>
            </View>
          )}
          {summary && (
            <View className="card summary">
              <Row
                label="完成服务"
                value={`${summary.completedOrders} 次`}
                valueClassName="summary-completed"
              />
              <Row label="服务时长" value={formatMinutes(summary.serviceMinutes)} />
              <Row
                label="居民评价"
                valueClassName="summary-ratings"
                value={
                  summary.ratedOrders === 0
                    ? '还没有评价'
                    : `很好 ${summary.ratings.veryGood} · 好 ${summary.ratings.good} · 一般 ${summary.ratings.fair}`
                }
              />
              {summary.tags.length > 0 && (
                <View className="summary-tags">
                  {summary.tags.map((t) => (
                    <Text key={t.tag} className="chip">{`${t.tag} ${t.count}`}</Text>
                  ))}
                </View>
              )}
              <View className="muted">评价只显示汇总，不显示是谁评的。</View>
            </View>
          )}
          <View className="subtitle">我的专长</View>
          <View className="card">
            {volunteer.skills.length === 0 && <Text className="muted">还没有登记专长</Text>}
            {volunteer.skills.map((skill) => (
              <Text key={skill.code} className="chip">
                {skill.name}
              </Text>
            ))}
          </View>
        </View>
      )}
    </PageFrame>
  );
}
