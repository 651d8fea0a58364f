import type { CertificateView } from '@llb/shared';
import { Button, View } from '@tarojs/components';
import { useState } from 'react';
import { attempt } from '../services/feedback';
import { type Period, thisYear } from '../services/period';
import { DateRange } from './date-range';

/** 开具证明: a period (this year up to today unless changed) and one button; the server says when there is nothing to certify. */
export function IssueCertificate({
  issue,
  title = '开具志愿服务证明',
  onIssued,
}: {
  issue: (period: Period) => Promise<CertificateView>;
  title?: string;
  onIssued: (certificate: CertificateView) => void;
}) {
  const [period, setPeriod] = useState<Period>(thisYear);
  const submit = async () => {
    const issued = await attempt(() => issue(period), '证明已开具');
    if (issued) onIssued(issued);
  };
  return (
    <View className="card issue-certificate">
      <View className="subtitle">{title}</View>
      <View className="muted">证明写明这段时间里的服务次数和时长，由社区出具，带编号和查验二维码。</View>
      <DateRange value={period} onChange={setPeriod} />
      <Button className="btn btn-primary actions issue-submit" onClick={submit}>
        开具证明
      </Button>
    </View>
  );
}
