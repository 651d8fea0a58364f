import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Points } from '../../../components/amount';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { VOLUNTEER_STATUS, VolunteerTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

const FILTERS = [
  ['', '全部'],
  ['pending', '待审核'],
  ['approved', '已认证'],
] as const;

/** The community's volunteers with their points; 待审核 from the console opens this list filtered. */
export default function People() {
  const communityId = routerParam('communityId');
  const [status, setStatus] = useState(routerParam('status'));
  const load = useCallback(() => api.communityVolunteers(communityId), [communityId]);
  const { data: people, error, loading } = useLoadOnShow(load);
  const shown = (people ?? []).filter((p) => !status || p.status === status);
  const label = VOLUNTEER_STATUS[status]?.label;

  return (
    <PageFrame className="people" audience="staff" error={error}>
      <View className="menu-filters">
        {FILTERS.map(([value, text]) => (
          <Text
            key={value}
            className={`chip people-filter ${status === value ? 'chip-on' : ''}`}
            onClick={() => setStatus(value)}
          >
            {text}
          </Text>
        ))}
      </View>
      {status === 'pending' && (
        <View className="card muted pending-note">
          待审核的志愿者还不能接单。小程序里暂时不能办理审核：请核对身份和专长后，联系街道管理员在后台通过。
        </View>
      )}
      {!loading && shown.length === 0 && (
        <EmptyState
          title={label ? `没有${label}的志愿者` : '社区还没有志愿者'}
          next={status ? { label: '看全部志愿者', onClick: () => setStatus('') } : null}
        />
      )}
      {shown.length > 0 && (
        <View className="card">
          {shown.map((p) => (
            <Row
              key={p.id}
              className="person"
              label={p.name}
              onClick={() => Taro.navigateTo({ url: `/staff/pages/ledger/index?userId=${p.id}` })}
            >
              <View>
                <VolunteerTag status={p.status} />
              </View>
              <View className="muted">{p.phone}</View>
              <Points value={p.balance} />
            </Row>
          ))}
        </View>
      )}
    </PageFrame>
  );
}
