import type { CommunityOverview } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { api } from '../../../services/api';
import { openHome } from '../../../services/navigation';
import { useLoadOnShow } from '../../../services/use-load';
import './index.css';

interface ConsoleData {
  communities: { id: string; name: string }[];
  overview: CommunityOverview | null;
}

/** The communities this person runs, as the server counts them (staff of one, or all of a street admin's street). */
async function loadConsole(selected: string | null): Promise<ConsoleData> {
  const communities = (await api.me()).staffCommunities;
  const target = communities.find((c) => c.id === selected) ?? communities[0];
  return { communities, overview: target ? await api.communityOverview(target.id) : null };
}

const ENTRIES = [
  ['居民求助', 'needs'],
  ['代居民求助', 'post-need'],
  ['订单管理', 'orders'],
  ['服务项目', 'projects'],
  ['代居民下单', 'proxy-order'],
  ['积分超市物品', 'goods'],
  ['兑换核销', 'pickup'],
  ['志愿者积分', 'people'],
] as const;

export default function StaffConsole() {
  const [selected, setSelected] = useState<string | null>(null);
  const load = useCallback(() => loadConsole(selected), [selected]);
  const { data, error } = useLoadOnShow(load);
  const overview = data?.overview;
  const open = (page: string, query = '') =>
    overview &&
    Taro.navigateTo({ url: `/staff/pages/${page}/index?communityId=${overview.communityId}${query}` });
  const openPending = () => open('people', '&status=pending');

  return (
    <PageFrame className="staff-console" audience="staff" error={error}>
      {data && data.communities.length > 1 && (
        <View className="switcher">
          {data.communities.map((c) => (
            <Button
              key={c.id}
              className={`btn ${c.id === overview?.communityId ? 'btn-primary' : 'btn-plain'} switch`}
              onClick={() => setSelected(c.id)}
            >
              {c.name}
            </Button>
          ))}
        </View>
      )}
      {data && !overview && (
        <EmptyState
          title="这一页是给社区工作人员用的"
          hint="您的账号还没有负责的社区。需要开通请联系街道管理员。"
          next={{ label: '回首页', onClick: openHome }}
        />
      )}
      {overview && (
        <View>
          <View className="title">{overview.communityName}</View>
          <View className="console-entries">
            {ENTRIES.map(([label, page]) => (
              <Button key={page} className="btn btn-secondary console-entry" onClick={() => open(page)}>
                {label}
              </Button>
            ))}
          </View>
          <View className="figures">
            <Figure label="居民" value={overview.residents} />
            <Figure label="志愿者" value={overview.volunteers} onClick={() => open('people')} />
            <Figure label="待审核志愿者" value={overview.pendingVolunteers} onClick={openPending} />
            <Figure label="工作人员" value={overview.staff} />
          </View>
          {overview.needsToReview > 0 && (
            <Button className="btn btn-primary needs-to-review" onClick={() => open('needs')}>
              {overview.urgentNeeds > 0
                ? `${overview.needsToReview} 条求助等您审核，其中 ${overview.urgentNeeds} 条紧急`
                : `${overview.needsToReview} 条求助等您审核`}
            </Button>
          )}
          {overview.pendingVolunteers > 0 && (
            <Button className="btn btn-plain pending-volunteers" onClick={openPending}>
              {`查看 ${overview.pendingVolunteers} 位待审核的志愿者`}
            </Button>
          )}
          <View className="subtitle">专长清单</View>
          <View className="card">
            {overview.skills.map((skill) => (
              <Row
                key={skill.code}
                label={skill.name}
                valueClassName={skill.volunteers === 0 ? 'gap' : ''}
                value={skill.volunteers === 0 ? '暂无志愿者' : `${skill.volunteers} 人`}
              />
            ))}
          </View>
        </View>
      )}
    </PageFrame>
  );
}

/** A count; the ones that lead somewhere are tappable (the pending ones open the people page filtered). */
function Figure({ label, value, onClick }: { label: string; value: number; onClick?: () => void }) {
  return (
    <View className={`figure ${onClick ? 'figure-link' : ''}`} onClick={onClick}>
      <Text className="figure-value">{value}</Text>
      <Text className="figure-label">{label}</Text>
    </View>
  );
}
