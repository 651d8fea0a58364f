import type { CommunityOverview } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { api } from '../../../services/api';
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

export default function StaffConsole() {
  const [selected, setSelected] = useState<string | null>(null);
  const load = useCallback(() => loadConsole(selected), [selected]);
  const { data, error } = useLoadOnShow(load);
  const overview = data?.overview;

  return (
    <View className="page">
      {error && <View className="error-text">{error}</View>}
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
      {data && !overview && <View className="card">您还没有负责的社区。</View>}
      {overview && (
        <View>
          <View className="title">{overview.communityName}</View>
          <View className="console-entries">
            {[
              ['订单管理', 'orders'],
              ['服务项目', 'projects'],
              ['代居民下单', 'proxy-order'],
              ['积分超市物品', 'goods'],
              ['兑换核销', 'pickup'],
              ['志愿者积分', 'people'],
            ].map(([label, page]) => (
              <Button
                key={page}
                className="btn btn-secondary console-entry"
                onClick={() =>
                  Taro.navigateTo({ url: `/staff/pages/${page}/index?communityId=${overview.communityId}` })
                }
              >
                {label}
              </Button>
            ))}
          </View>
          <View className="figures">
            <Figure label="居民" value={overview.residents} />
            <Figure label="志愿者" value={overview.volunteers} />
            <Figure label="待审核志愿者" value={overview.pendingVolunteers} />
            <Figure label="工作人员" value={overview.staff} />
          </View>
          <View className="subtitle">专长清单</View>
          <View className="card">
            {overview.skills.map((skill) => (
              <View className="row" key={skill.code}>
                <Text className="row-label">{skill.name}</Text>
                <Text className={`row-value ${skill.volunteers === 0 ? 'gap' : ''}`}>
                  {skill.volunteers === 0 ? '暂无志愿者' : `${skill.volunteers} 人`}
                </Text>
              </View>
            ))}
          </View>
        </View>
      )}
    </View>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <View className="figure">
      <Text className="figure-value">{value}</Text>
      <Text className="figure-label">{label}</Text>
    </View>
  );
}
