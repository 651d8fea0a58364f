import { SERVICE_CATEGORIES } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { ProjectTag } from '../../../components/tag';
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
    <PageFrame className="staff-projects" audience="staff" error={error}>
      <Button className="btn btn-primary new-project" onClick={() => edit()}>
        新建服务项目
      </Button>
      {!loading && projects?.length === 0 && (
        <EmptyState
          title="还没有服务项目"
          hint="新建一项并发布后，居民就能在服务清单里预约。"
          next={{ label: '新建服务项目', onClick: () => edit() }}
        />
      )}
      {projects?.map((p) => (
        <View key={p.id} className="card staff-project" onClick={() => edit(p.id)}>
          <View className="order-card-head">
            <Text className="order-card-title">{p.title}</Text>
            <ProjectTag status={p.status} />
          </View>
          <View className="muted">
            {`${SERVICE_CATEGORIES.find((c) => c.code === p.category)?.name} · 每小时 ${p.pointsPerHour} 积分 · ${p.responseHours} 小时内响应`}
          </View>
          <View className="order-card-go">修改 ›</View>
        </View>
      ))}
    </PageFrame>
  );
}
