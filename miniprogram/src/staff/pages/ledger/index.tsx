import { adjustInput, type LedgerEntry, reverseInput } from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Amount } from '../../../components/amount';
import { LedgerList } from '../../../components/ledger-list';
import { PageFrame } from '../../../components/page-frame';
import { ReasonForm } from '../../../components/reason-form';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { formatMinutes } from '../../../services/format';
import { maxLength } from '../../../services/limits';
import { useLoadOnShow } from '../../../services/use-load';

/** One person's ledger: staff adjust with a written reason, or reverse a mistaken line (never edit it). */
export default function Ledger() {
  const userId = routerParam('userId');
  const load = useCallback(() => api.personLedger(userId), [userId]);
  const { data: wallet, error, reload } = useLoadOnShow(load);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [reversing, setReversing] = useState<LedgerEntry | null>(null);

  async function adjust(): Promise<void> {
    const parsed = adjustInput.safeParse({
      amount: amount.trim() === '' ? undefined : Number(amount),
      reason,
    });
    if (!parsed.success) {
      Taro.showToast({ title: parsed.error.issues[0]?.message ?? '请检查填写的内容', icon: 'none' });
      return;
    }
    if (await attempt(() => api.adjustPoints(userId, parsed.data.amount, parsed.data.reason), '已调整')) {
      setAmount('');
      setReason('');
      reload();
    }
  }

  async function reverse(why: string): Promise<void> {
    if (!reversing) return;
    if (await attempt(() => api.reverseTransfer(reversing.transferId, why), '已撤销')) {
      setReversing(null);
      reload();
    }
  }

  const reversible = (e: LedgerEntry) => (e.kind === 'earn' || e.kind === 'adjust') && !e.reversed;
  if (!wallet) return <PageFrame className="ledger-page" audience="staff" error={error} />;
  return (
    <PageFrame className="ledger-page" audience="staff" error={error}>
      <Amount
        className="wallet-head"
        owner={wallet.name}
        label="可用积分"
        value={wallet.balance}
        lines={[`志愿服务 ${wallet.serviceCount} 次`, `共 ${formatMinutes(wallet.serviceMinutes)}`]}
      />
      <View className="card">
        <Text className="subtitle">调整积分</Text>
        <Text className="field-label">加分填正数，扣分填负数</Text>
        <Input
          className="field adjust-amount"
          value={amount}
          maxlength={6}
          onInput={(e) => setAmount(e.detail.value)}
        />
        <Text className="field-label">原因（必填，会记入明细）</Text>
        <Input
          className="field adjust-reason"
          value={reason}
          maxlength={maxLength(adjustInput.shape.reason)}
          onInput={(e) => setReason(e.detail.value)}
        />
        <Button className="btn btn-primary actions" onClick={adjust}>
          确认调整
        </Button>
      </View>
      {reversing && (
        <ReasonForm
          title={`撤销：${reversing.memo}（${reversing.amount}）`}
          placeholder="为什么撤销"
          confirmText="撤销这一笔"
          maxLength={maxLength(reverseInput.shape.reason)}
          onSubmit={reverse}
          onCancel={() => setReversing(null)}
        />
      )}
      <View className="subtitle">明细</View>
      <LedgerList
        entries={wallet.entries}
        action={(e) =>
          reversible(e) ? (
            <Text className="reverse-link" onClick={() => setReversing(e)}>
              撤销
            </Text>
          ) : null
        }
      />
    </PageFrame>
  );
}
