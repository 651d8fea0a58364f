import type { Me, VolunteerSummary } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { api } from '../../../services/api';
import { formatMinutes } from '../../../services/format';
import { useLoadOnShow } from '../../../services/use-load';

const STATUS_LABELS: Record<NonNullable<Me['volunteer']>['status'], string> = {
  pending: '审核中',
  approved: '已认证',
  rejected: '未通过审核',
  suspended: '已暂停服务',
};

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
    <View className="page">
      {error && <View className="error-text">{error}</View>}
      {me && !volunteer && <View className="card">您还不是志愿者。请到社区登记，审核通过后即可接单。</View>}
      {volunteer && (
        <View>
          <View className="card">
            <View className="row">
              <Text className="row-label">志愿者</Text>
              <Text className="row-value">{me.name}</Text>
            </View>
            <View className="row">
              <Text className="row-label">认证状态</Text>
              <Text className="row-value volunteer-status">{STATUS_LABELS[volunteer.status]}</Text>
            </View>
            <View className="row">
              <Text className="row-label">报到社区</Text>
              <Text className="row-value">
                {volunteer.communityName}
                {volunteer.isPartyMember ? ' · 在职党员' : ''}
              </Text>
            </View>
            <View className="row">
              <Text className="row-label">服务范围</Text>
              <Text className="row-value">{`${(volunteer.serviceRadiusM / 1000).toFixed(1)} 公里内`}</Text>
            </View>
          </View>
          {volunteer.status === 'approved' && (
            <View>
              <Button
                className="btn btn-primary my-offers"
                onClick={() => Taro.navigateTo({ url: '/volunteer/pages/offers/index' })}
              >
                派给我的任务
              </Button>
              <Button
                className="btn btn-primary"
                onClick={() => Taro.navigateTo({ url: '/volunteer/pages/hall/index' })}
              >
                任务大厅
              </Button>
              <Button
                className="btn btn-secondary"
                onClick={() => Taro.navigateTo({ url: '/volunteer/pages/tasks/index' })}
              >
                我的任务
              </Button>
              <Button
                className="btn btn-secondary my-points"
                onClick={() => Taro.navigateTo({ url: '/store/pages/wallet/index' })}
              >
                我的积分和兑换
              </Button>
            </View>
          )}
          {summary && (
            <View className="card summary">
              <View className="row">
                <Text className="row-label">完成服务</Text>
                <Text className="row-value summary-completed">{`${summary.completedOrders} 次`}</Text>
              </View>
              <View className="row">
                <Text className="row-label">服务时长</Text>
                <Text className="row-value">{formatMinutes(summary.serviceMinutes)}</Text>
              </View>
              <View className="row">
                <Text className="row-label">居民评价</Text>
                <Text className="row-value summary-ratings">
                  {summary.ratedOrders === 0
                    ? '还没有评价'
                    : `很好 ${summary.ratings.veryGood} · 好 ${summary.ratings.good} · 一般 ${summary.ratings.fair}`}
                </Text>
              </View>
              {summary.tags.length > 0 && (
                <View className="summary-tags">
                  {summary.tags.map((t) => (
                    <Text key={t.tag} className="chip">{`${t.tag} ${t.count}`}</Text>
                  ))}
                </View>
              )}
              <Text className="muted">评价只显示汇总，不显示是谁评的。</Text>
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
    </View>
  );
}
