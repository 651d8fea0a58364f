import { type CertificateView, correctRecordInput, type ServiceRecordView } from '@llb/shared';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { CertificateCard, CertificateList } from '../../../components/certificate-card';
import { IssueCertificate } from '../../../components/issue-certificate';
import { PageFrame } from '../../../components/page-frame';
import { PeriodFilter } from '../../../components/period-filter';
import { RecordList } from '../../../components/record-list';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt, routerParam } from '../../../services/feedback';
import { formatMinutes } from '../../../services/format';
import { maxLength } from '../../../services/limits';
import { formatPeriod, type Period, thisYear } from '../../../services/period';
import { useLoadOnShow } from '../../../services/use-load';

const reasonMax = maxLength(correctRecordInput.shape.reason);

/** Staff read one volunteer's official records, correct one with a reason, and issue a certificate for them. */
export default function VolunteerRecords() {
  const userId = routerParam('userId');
  const [period, setPeriod] = useState<Period>(thisYear);
  const loadRecords = useCallback(() => api.volunteerRecords(userId, period), [userId, period]);
  const { data: list, error, reload } = useLoadOnShow(loadRecords);
  const loadCertificates = useCallback(() => api.volunteerCertificates(userId), [userId]);
  const { data: certificates, reload: reloadCertificates } = useLoadOnShow(loadCertificates);
  const [correcting, setCorrecting] = useState<ServiceRecordView | null>(null);
  const [issued, setIssued] = useState<CertificateView | null>(null);

  const earlier = (certificates ?? []).filter((c) => c.id !== issued?.id);
  const corrected = () => {
    setCorrecting(null);
    reload();
    // A correction may make earlier certificates 已失效.
    reloadCertificates();
  };

  return (
    <PageFrame className="volunteer-records" audience="staff" error={error}>
      {list && <Text className="title volunteer-records-name">{list.volunteerName}</Text>}
      <PeriodFilter value={period} onChange={setPeriod} />
      <View className="muted records-period">{formatPeriod(period.from, period.to)}</View>
      {list && (
        <RecordList
          list={list}
          action={(record) =>
            record.actions.includes('correct') &&
            (correcting?.id === record.id ? (
              <CorrectionForm record={record} onDone={corrected} onCancel={() => setCorrecting(null)} />
            ) : (
              <Button
                className="btn btn-secondary actions correct-record"
                onClick={() => setCorrecting(record)}
              >
                更正这条记录
              </Button>
            ))
          }
        />
      )}
      <IssueCertificate
        title="为这位志愿者开具证明"
        issue={(p) => api.issueVolunteerCertificate(userId, p.from, p.to)}
        onIssued={(certificate) => {
          setIssued(certificate);
          reloadCertificates();
        }}
      />
      {issued && <View className="subtitle">刚开具的证明</View>}
      {issued && <CertificateCard certificate={issued} />}
      {certificates && (issued === null || earlier.length > 0) && (
        <View>
          <View className="subtitle">开过的证明</View>
          <CertificateList certificates={earlier} />
        </View>
      )}
    </PageFrame>
  );
}

/** 更正: the minutes the record should have had (0 voids it) and why; asked again before it is sent. */
function CorrectionForm({
  record,
  onDone,
  onCancel,
}: {
  record: ServiceRecordView;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [minutes, setMinutes] = useState(String(record.minutes));
  const [reason, setReason] = useState('');

  async function submit(): Promise<void> {
    const parsed = correctRecordInput.safeParse({ minutes: Number(minutes), reason });
    if (minutes.trim() === '' || !parsed.success) {
      const message = parsed.success ? '请填写更正后的分钟数' : parsed.error.issues[0]?.message;
      Taro.showToast({ title: message ?? '请检查填写的内容', icon: 'none' });
      return;
    }
    const { minutes: next, reason: why } = parsed.data;
    const sure = await confirm({
      title: next === 0 ? '作废这条记录' : '更正这条记录',
      content:
        next === 0
          ? `第 ${record.id} 号记录将作废，不再计入服务时长；志愿者会看到原因。用这条记录开过的证明会失效。`
          : `第 ${record.id} 号记录将从 ${formatMinutes(record.minutes)} 改为 ${formatMinutes(next)}；志愿者会看到原因。用这条记录开过的证明会失效。`,
      yes: next === 0 ? '作废' : '更正',
      danger: next === 0,
    });
    if (!sure) return;
    if (await attempt(() => api.correctRecord(record.id, next, why), '已更正')) onDone();
  }

  return (
    <View className="correction-form">
      <View className="subtitle">更正这条记录</View>
      <Text className="field-label">更正后的服务分钟数（填 0 表示这次服务作废）</Text>
      <Input
        className="field correction-minutes"
        type="number"
        maxlength={3}
        value={minutes}
        onInput={(e) => setMinutes(e.detail.value)}
      />
      <Text className="field-label">更正原因（志愿者会看到）</Text>
      <Textarea
        className="field field-area correction-reason"
        placeholder="例如：居民反映实际只服务了半小时，已电话核实"
        maxlength={reasonMax}
        value={reason}
        onInput={(e) => setReason(e.detail.value)}
      />
      <Button className="btn btn-primary actions correction-submit" onClick={submit}>
        提交更正
      </Button>
      <Button className="btn btn-plain" onClick={onCancel}>
        算了
      </Button>
    </View>
  );
}
