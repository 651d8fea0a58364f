import type { CommunityChoice } from '@llb/shared';
import { Button, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { PageFrame } from '../../components/page-frame';
import { ApiError, api } from '../../services/api';
import { goHome } from '../../services/navigation';
import { saveSession } from '../../services/session';
import { useLoadOnShow } from '../../services/use-load';

export default function HomeCommunity() {
  const load = useCallback(() => api.communities(), []);
  const { data: communities, error } = useLoadOnShow(load);
  const [chosen, setChosen] = useState<CommunityChoice | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);

  async function save(communityId: string, gridId: string | null): Promise<void> {
    try {
      saveSession(await api.setHome({ communityId, gridId }));
      goHome();
    } catch (e) {
      setSaveError(e instanceof ApiError ? e.message : '保存失败，请再试一次');
    }
  }

  return (
    <PageFrame className="home-community" nav={false} error={error || saveError}>
      <View className="title">{chosen ? `${chosen.name}：您住在哪个网格？` : '您住在哪个社区？'}</View>
      {!chosen &&
        communities?.map((community) => (
          <Button key={community.id} className="btn btn-plain" onClick={() => setChosen(community)}>
            <View className="community-choice">
              <View>{community.name}</View>
              <View className="muted">{community.streetName}</View>
            </View>
          </Button>
        ))}
      {chosen && (
        <View>
          {chosen.grids.map((grid) => (
            <Button key={grid.id} className="btn btn-plain" onClick={() => save(chosen.id, grid.id)}>
              {grid.name}
            </Button>
          ))}
          <Button className="btn btn-secondary" onClick={() => save(chosen.id, null)}>
            不清楚，先跳过
          </Button>
          <Button className="btn btn-plain" onClick={() => setChosen(null)}>
            重新选择社区
          </Button>
        </View>
      )}
    </PageFrame>
  );
}
