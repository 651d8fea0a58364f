import { PROJECT_STATUS_LABELS, SERVICE_CATEGORIES } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { api } from '../../../services/api';
import { routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

/** 项目菜单 as staff manage it: every project of the community, drafts included. */
export default function Projects() {
  const communityId = routerParam('communityId');
  const load = useCallback(() => api.communityProjects(communityId), [communityId]);
  const { data: projects, error, loading } = useLoadOnShow(load);
  const edit = (id?: string) =>
    Taro.navigateTo({
      url: `/staff/pages/project-edit/index?communityId=${communityId}${id ? `&id=${id}` : ''}`,
    });

  return (
    <View className="page staff-projects">
      <Button className="btn btn-primary new-project" onClick={() => edit()}>
        新建服务项目
      </Button>
      {error && <View className="error-text">{error}</View>}
      {!loading && projects?.length === 0 && <View className="card muted">还没有服务项目。</View>}
      {projects?.map((p) => (
        <View key={p.id} className="card staff-project" onClick={() => edit(p.id)}>
          <View className="order-card-head">
            <Text className="order-card-title">{p.title}</Text>
            <Text className={`status-tag project-${p.status}`}>{PROJECT_STATUS_LABELS[p.status]}</Text>
          </View>
          <Text className="muted">
            {`${SERVICE_CATEGORIES.find((c) => c.code === p.category)?.name} · 每小时 ${p.pointsPerHour} 积分 · ${p.responseHours} 小时内响应`}
          </Text>
        </View>
      ))}
    </View>
  );
}
