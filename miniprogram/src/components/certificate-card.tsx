import type { CertificateSummary } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { attempt } from '../services/feedback';
import { openCertificatePdf } from '../services/files';
import { formatMinutes } from '../services/format';
import { dayOf, formatDay, formatPeriod } from '../services/period';
import { EmptyState } from './empty-state';
import { Row } from './row';
import { Tag } from './tag';
import './records.css';

/** 有效, or 已失效 when a record it lists was corrected after it was issued. */
export function ValidityTag({ valid, className = '' }: { valid: boolean; className?: string }) {
  return valid ? (
    <Tag family="done" className={className}>
      有效
    </Tag>
  ) : (
    <Tag family="problem" className={className}>
      已失效（记录已更正）
    </Tag>
  );
}

const openPdf = (certificate: CertificateSummary) => attempt(() => openCertificatePdf(certificate));

/** One issued 志愿服务证明: serial, period, hours, whether it still stands, and its PDF. */
export function CertificateCard({ certificate }: { certificate: CertificateSummary }) {
  return (
    <View className="card certificate" data-certificate-id={certificate.id}>
      <View className="record-head">
        <Text className="record-title">志愿服务证明</Text>
        <ValidityTag valid={certificate.valid} className="certificate-validity" />
      </View>
      <Row label="证明编号" value={certificate.serial} valueClassName="certificate-serial" />
      <Row
        label="服务期间"
        value={formatPeriod(certificate.periodStart, certificate.periodEnd)}
        valueClassName="certificate-period"
      />
      <Row
        label="服务时长"
        value={`${formatMinutes(certificate.totalMinutes)}（${certificate.serviceCount} 次）`}
        valueClassName="certificate-minutes"
      />
      <Row label="开具单位" value={certificate.issuer.name} />
      <Row label="开具日期" value={formatDay(dayOf(certificate.issuedAt))} />
      <Row
        label="验证码"
        value={certificate.verifyCode}
        valueClassName="certificate-code"
        onClick={() =>
          Taro.navigateTo({ url: `/pages/verify/index?code=${encodeURIComponent(certificate.verifyCode)}` })
        }
      />
      <View className="muted">别人扫证明上的二维码或输入验证码，就能核对这张证明。</View>
      <Button
        className={`btn ${certificate.valid ? 'btn-primary' : 'btn-secondary'} actions download-pdf`}
        onClick={() => openPdf(certificate)}
      >
        {process.env.TARO_ENV === 'h5' ? '下载 PDF' : '打开 PDF'}
      </Button>
    </View>
  );
}

export function CertificateList({ certificates }: { certificates: CertificateSummary[] }) {
  if (certificates.length === 0) {
    return (
      <EmptyState
        title="还没有开具过证明"
        hint="选好时间段，点“开具证明”，就会生成一份带编号和二维码的志愿服务证明。"
        className="certificates-empty"
      />
    );
  }
  return (
    <View className="certificate-list">
      {certificates.map((certificate) => (
        <CertificateCard key={certificate.id} certificate={certificate} />
      ))}
    </View>
  );
}
