import type { ResidentMatch } from '@llb/shared';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { NeedForm } from '../../../components/need-form';
import { PageFrame } from '../../../components/page-frame';
import { ResidentSearch } from '../../../components/resident-search';
import { Row } from '../../../components/row';
import { routerParam } from '../../../services/feedback';

/** 代发求助: a resident phoned; staff find them and write down what they need, in the resident's form. */
export default function PostNeedForResident() {
  const communityId = routerParam('communityId');
  const [resident, setResident] = useState<ResidentMatch | null>(null);
  return (
    <PageFrame className="staff-post-need" audience="staff">
      {!resident && <ResidentSearch communityId={communityId} onChoose={setResident} />}
      {resident && (
        <View>
          <View className="card">
            <Row
              label="求助的居民"
              value={`${resident.name}（更换）`}
              valueClassName="post-need-resident"
              onClick={() => setResident(null)}
            />
          </View>
          <NeedForm
            key={resident.id}
            residentId={resident.id}
            onPosted={(need) => Taro.redirectTo({ url: `/staff/pages/need/index?id=${need.id}` })}
          />
        </View>
      )}
    </PageFrame>
  );
}
