import type { CertificateView } from '@llb/shared';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { CertificateCard, CertificateList } from '../../../components/certificate-card';
import { EmptyState } from '../../../components/empty-state';
import { IssueCertificate } from '../../../components/issue-certificate';
import { PageFrame } from '../../../components/page-frame';
import { api } from '../../../services/api';
import { useLoadOnShow } from '../../../services/use-load';

/** 志愿服务证明: issue one for a period, download its PDF, and see those issued before. */
export default function Certificates() {
  const load = useCallback(async () => {
    const [summary, certificates] = await Promise.all([api.volunteerSummary(), api.myCertificates()]);
    return { summary, certificates };
  }, []);
  const { data, error, reload } = useLoadOnShow(load);
  const [issued, setIssued] = useState<CertificateView | null>(null);
  const allowed = data?.summary.actions.includes('certificate') ?? false;
  const earlier = (data?.certificates ?? []).filter((c) => c.id !== issued?.id);

  return (
    <PageFrame className="certificates" error={error}>
      {issued && (
        <View className="just-issued">
          <View className="subtitle">刚开具的证明</View>
          <CertificateCard certificate={issued} />
        </View>
      )}
      {data && allowed && (
        <IssueCertificate
          issue={(period) => api.issueCertificate(period.from, period.to)}
          onIssued={(certificate) => {
            setIssued(certificate);
            reload();
            Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => {});
          }}
        />
      )}
      {data && !allowed && (
        <EmptyState
          title="还没有可以开具证明的服务记录"
          hint="完成志愿服务、居民确认后，服务时长会记下来，就可以在这里开具证明。"
          next={{
            label: '看看服务记录',
            onClick: () => Taro.navigateTo({ url: '/volunteer/pages/records/index' }),
          }}
          className="certificate-not-allowed"
        />
      )}
      {data && (earlier.length > 0 || (allowed && issued === null)) && (
        <View>
          <View className="subtitle">开过的证明</View>
          <CertificateList certificates={earlier} />
        </View>
      )}
    </PageFrame>
  );
}
