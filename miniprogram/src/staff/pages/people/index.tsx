import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { api } from '../../../services/api';
import { routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

export default function People() {
  const communityId = routerParam('communityId');
  const load = useCallback(() => api.communityVolunteers(communityId), [communityId]);
  const { data: people, error } = useLoadOnShow(load);
  return (
    <View className="page people">
      {error && <View className="error-text">{error}</View>}
      <View className="card">
        {people?.map((p) => (
          <View
            key={p.id}
            className="row person"
            onClick={() => Taro.navigateTo({ url: `/staff/pages/ledger/index?userId=${p.id}` })}
          >
            <Text className="row-label">{`${p.name} ${p.phone}`}</Text>
            <Text className="row-value">{`${p.balance} 积分 ›`}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}
