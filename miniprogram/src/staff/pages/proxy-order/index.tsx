import { type Project, placeOrderInput, type ResidentMatch } from '@llb/shared';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { PageFrame } from '../../../components/page-frame';
import { ProjectOrderForm } from '../../../components/project-order-form';
import { ResidentSearch } from '../../../components/resident-search';
import { Row } from '../../../components/row';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';
import { usePolicy } from '../../../services/policy';

/** 代下单 puts this before what staff type, inside the same notes field (and its limit). */
const PROXY_NOTE = '电话代下单。';
const NOTES_MAX = maxLength(placeOrderInput.shape.notes) - PROXY_NOTE.length;

/** 代下单: a resident phoned in; staff find them, pick the service and time, and order on their behalf. */
export default function ProxyOrder() {
  const communityId = routerParam('communityId');
  const policy = usePolicy();
  const [resident, setResident] = useState<ResidentMatch | null>(null);
  // What this resident may order, as the server decides (GET /staff/residents/:id/menu).
  const [projects, setProjects] = useState<Project[]>([]);

  async function choose(match: ResidentMatch): Promise<void> {
    const menu = await attempt(() => api.residentMenu(match.id));
    if (!menu) return;
    setResident(match);
    setProjects(menu);
  }

  return (
    <PageFrame className="proxy-order" audience="staff">
      {!resident && <ResidentSearch communityId={communityId} onChoose={choose} />}
      {resident && policy && (
        <View className="card">
          <Row label="服务对象" value={`${resident.name}（更换）`} onClick={() => setResident(null)} />
          <ProjectOrderForm
            key={resident.id}
            policy={policy}
            projects={projects}
            notesLabel="电话里说的情况"
            notesMax={NOTES_MAX}
            submitLabel="代居民下单"
            onSubmit={async (input) => {
              const parsed = placeOrderInput.safeParse({
                ...input,
                residentId: resident.id,
                notes: `${PROXY_NOTE}${input.notes}`,
              });
              if (!parsed.success) {
                Taro.showToast({
                  title: parsed.error.issues[0]?.message ?? '请检查填写的内容',
                  icon: 'none',
                });
                return;
              }
              const order = await attempt(() => api.placeOrder(parsed.data), '已代下单');
              if (order) Taro.redirectTo({ url: `/staff/pages/order/index?id=${order.id}` });
            }}
          />
        </View>
      )}
    </PageFrame>
  );
}
