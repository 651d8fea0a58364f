import { type CertificateCheck, verifyCodeParam } from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { ValidityTag } from '../../components/certificate-card';
import { PageFrame } from '../../components/page-frame';
import { Row } from '../../components/row';
import { ApiError, api } from '../../services/api';
import { routerParam } from '../../services/feedback';
import { formatMinutes } from '../../services/format';
import { dayOf, formatDay, formatPeriod } from '../../services/period';
import './index.css';

/** What the last check found: the certificate, nothing under that code, or a problem to show. */
interface Outcome {
  check?: CertificateCheck;
  missing?: boolean;
  problem?: string;
}

/**
 * 查验志愿服务证明: anyone, signed in or not, types the 12 characters printed on a certificate (or
 * opens the link of its QR code) and sees what it says and whether it still stands. Never the ID
 * number, and the name only masked.
 */
export default function Verify() {
  const [code, setCode] = useState('');
  const [checking, setChecking] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function check(typed: string): Promise<void> {
    const parsed = verifyCodeParam.safeParse(typed);
    if (!parsed.success) {
      setOutcome({ problem: parsed.error.issues[0]?.message ?? '请核对验证码' });
      return;
    }
    setChecking(true);
    try {
      setOutcome({ check: await api.verifyCertificate(parsed.data) });
    } catch (e) {
      const message = e instanceof ApiError ? e.message : '查验没有成功，请稍后再试';
      setOutcome(e instanceof ApiError && e.status === 404 ? { missing: true } : { problem: message });
    } finally {
      setChecking(false);
    }
  }

  // The QR code on the PDF opens this page with ?code=…: check it at once.
  useLoad(() => {
    const fromLink = routerParam('code');
    if (!fromLink) return;
    setCode(fromLink);
    check(fromLink);
  });

  return (
    <PageFrame className="verify" audience="anyone">
      <View className="card verify-form">
        <View className="subtitle">查验志愿服务证明</View>
        <Text className="field-label">证明上印的 12 位验证码（数字和字母）</Text>
        <Input
          className="field verify-input"
          placeholder="例如 3FA9C2D41B07"
          maxlength={20}
          value={code}
          onInput={(e) => setCode(e.detail.value)}
          onConfirm={() => check(code)}
        />
        <Button className="btn btn-primary actions verify-submit" onClick={() => !checking && check(code)}>
          {checking ? '正在查验…' : '查验'}
        </Button>
        <View className="muted">也可以用手机扫证明上的二维码，直接打开这一页。</View>
      </View>
      {outcome?.check && <CheckResult check={outcome.check} />}
      {outcome?.missing && (
        <View className="card verify-missing">
          <Text className="verify-missing-title">没有找到这张证明</Text>
          <Text className="muted">请核对验证码是否抄对了，或者联系开具证明的社区。</Text>
        </View>
      )}
      {outcome?.problem && <View className="error-text verify-problem">{outcome.problem}</View>}
    </PageFrame>
  );
}

function CheckResult({ check }: { check: CertificateCheck }) {
  return (
    <View className="card verify-result">
      <View className="verify-verdict">
        <ValidityTag valid={check.valid} className="verify-validity" />
      </View>
      <Text className="verify-verdict-text">
        {check.valid
          ? '这张证明真实有效：开具以后，里面的服务记录没有更改过。'
          : '这张证明开具以后，里面的服务记录被社区更正过，所以已经失效。请志愿者重新开具一份。'}
      </Text>
      <Row label="证明编号" value={check.serial} valueClassName="verify-serial" />
      <Row label="姓名" value={check.volunteerNameMasked} valueClassName="verify-name" />
      <Row label="服务期间" value={formatPeriod(check.periodStart, check.periodEnd)} />
      <Row
        label="服务时长"
        value={`${formatMinutes(check.totalMinutes)}（${check.serviceCount} 次）`}
        valueClassName="verify-minutes"
      />
      <Row label="开具单位" value={check.issuerName} />
      <Row label="开具日期" value={formatDay(dayOf(check.issuedAt))} />
    </View>
  );
}
