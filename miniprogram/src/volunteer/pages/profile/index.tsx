import type { VolunteerSummary } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { Amount } from '../../../components/amount';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { formatRadius } from '../../../components/radius-chooser';
import { Row } from '../../../components/row';
import { VolunteerTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { openHome } from '../../../services/navigation';
import { useLoadOnShow } from '../../../services/use-load';
import { MonthBars, Ratings, Resting } from './parts';
import './index.css';

const go = (url: string) => () => Taro.navigateTo({ url });

export default function VolunteerProfile() {
  const load = useCallback(async () => {
    const me = await api.me();
    const summary: VolunteerSummary | null = me.volunteer ? await api.volunteerSummary() : null;
    return { me, summary };
  }, []);
  const { data, error, reload } = useLoadOnShow(load);
  const me = data?.me;
  const summary = data?.summary;
  const volunteer = me?.volunteer;
  const can = (action: VolunteerSummary['actions'][number]) => summary?.actions.includes(action) ?? false;

  return (
    <PageFrame className="volunteer-profile" error={error}>
      {me && !volunteer && (
        <EmptyState
          title="您还不是志愿者"
          hint="填写申请，社区审核通过后就能接单。"
          next={{ label: '成为志愿者', onClick: go('/volunteer/pages/apply/index') }}
          also={{ label: '回首页', onClick: openHome }}
        />
      )}
      {me && volunteer && (
        <View>
          <View className="card">
            <Row label="志愿者" value={me.name} valueClassName="profile-name" />
            <Row label="认证状态">
              <VolunteerTag status={volunteer.status} className="volunteer-status" />
            </Row>
            <Row
              label="报到社区"
              value={`${volunteer.communityName}${volunteer.isPartyMember ? ' · 在职党员' : ''}`}
            />
            <Row label="服务范围" value={`${formatRadius(volunteer.serviceRadiusM)}以内`} />
          </View>
          {summary && <Resting summary={summary} onChanged={reload} />}
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
              <Button className="btn btn-secondary volunteer-wishes" onClick={go('/pages/wishes/index')}>
                心愿墙：认领居民的小心愿
              </Button>
              <Button className="btn btn-secondary my-points" onClick={go('/store/pages/wallet/index')}>
                我的积分和兑换
              </Button>
            </View>
          )}
          {summary && (
            <Amount
              className="summary"
              label="志愿服务时长"
              value={Math.round((summary.serviceMinutes / 60) * 10) / 10}
              unit="小时"
              valueClassName="summary-hours"
              lines={[`完成服务 ${summary.completedOrders} 次`, `累计获得 ${summary.points} 积分`]}
            />
          )}
          <View className="card profile-links">
            {can('edit_profile') && (
              <Row
                label="编辑资料"
                value="专长、时间、范围"
                className="link-edit-profile"
                onClick={go('/volunteer/pages/profile-edit/index')}
              />
            )}
            <Row
              label="服务记录"
              value="每次服务的时长"
              className="link-records"
              onClick={go('/volunteer/pages/records/index')}
            />
            {can('certificate') && (
              <Row
                label="志愿服务证明"
                value="开具、下载"
                className="link-certificates"
                onClick={go('/volunteer/pages/certificates/index')}
              />
            )}
          </View>
          {summary && <MonthBars months={summary.months} />}
          {summary && <Ratings ratings={summary.ratings} />}
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
