import type { Me } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import { useCallback } from 'react';
import { api } from '../../../services/api';
import { useLoadOnShow } from '../../../services/use-load';

const STATUS_LABELS: Record<NonNullable<Me['volunteer']>['status'], string> = {
  pending: '审核中',
  approved: '已认证',
  rejected: '未通过审核',
  suspended: '已暂停服务',
};

export default function VolunteerProfile() {
  const load = useCallback(() => api.me(), []);
  const { data: me, error } = useLoadOnShow(load);
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
