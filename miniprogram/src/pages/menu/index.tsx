import { SERVICE_CATEGORIES } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { EmptyState } from '../../components/empty-state';
import { PageFrame } from '../../components/page-frame';
import { api } from '../../services/api';
import { routerParam } from '../../services/feedback';
import { formatMinutes } from '../../services/format';
import { openHome } from '../../services/navigation';
import { useLoadOnShow } from '../../services/use-load';
import './index.css';

/** 服务清单: the projects staff published for the resident's community, by category. */
export default function Menu() {
  const [category, setCategory] = useState(routerParam('category'));
  const load = useCallback(() => api.menu(), []);
  const { data: projects, error, loading } = useLoadOnShow(load);
  const shown = (projects ?? []).filter((p) => !category || p.category === category);
  const offered = new Set((projects ?? []).map((p) => p.category));

  return (
    <PageFrame className="menu">
      <View className="menu-filters">
        <Text className={`chip menu-filter ${category ? '' : 'chip-on'}`} onClick={() => setCategory('')}>
          全部
        </Text>
        {SERVICE_CATEGORIES.filter((c) => offered.has(c.code)).map((c) => (
          <Text
            key={c.code}
            className={`chip menu-filter ${category === c.code ? 'chip-on' : ''}`}
            onClick={() => setCategory(c.code)}
          >
            {c.name}
          </Text>
        ))}
      </View>
      {error && <View className="error-text">{error}</View>}
      {!loading && !error && shown.length === 0 && (
        <EmptyState
          title={category ? '这一类服务暂时还没有上线' : '社区还没有发布服务'}
          hint="有需要可以回到首页，打电话给社区。"
          next={
            category && (projects ?? []).length > 0
              ? { label: '看全部服务', onClick: () => setCategory('') }
              : null
          }
          also={{ label: '回首页打电话给社区', onClick: openHome }}
        />
      )}
      {shown.map((project) => (
        <View
          key={project.id}
          className="card menu-project"
          onClick={() => Taro.navigateTo({ url: `/pages/order-form/index?projectId=${project.id}` })}
        >
          <Text className="menu-project-title">{project.title}</Text>
          <Text className="muted">{SERVICE_CATEGORIES.find((c) => c.code === project.category)?.name}</Text>
          {project.description && <Text className="menu-project-desc">{project.description}</Text>}
          <Text className="muted">{`约 ${formatMinutes(project.expectedMinutes)} · ${project.locationNote || '上门服务'}`}</Text>
          <Text className="menu-project-go">预约这项服务 ›</Text>
        </View>
      ))}
    </PageFrame>
  );
}
