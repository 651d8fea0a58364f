import { adjustInput, type LedgerEntry } from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { LedgerList } from '../../../components/ledger-list';
import { ReasonForm } from '../../../components/reason-form';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { formatMinutes } from '../../../services/format';
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
    const parsed = adjustInput.safeParse({ amount: Number(amount), reason });
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
  if (!wallet) return <View className="page">{error && <View className="error-text">{error}</View>}</View>;
  return (
    <View className="page ledger-page">
      <View className="card wallet-head">
        <Text className="order-card-title">{wallet.name}</Text>
        <Text className="big-number">{wallet.balance}</Text>
        <Text className="muted">{`志愿服务 ${wallet.serviceCount} 次，共 ${formatMinutes(wallet.serviceMinutes)}`}</Text>
      </View>
      <View className="card">
        <Text className="subtitle">调整积分</Text>
        <Text className="field-label">加分填正数，扣分填负数</Text>
        <Input className="field adjust-amount" value={amount} onInput={(e) => setAmount(e.detail.value)} />
        <Text className="field-label">原因（必填，会记入明细）</Text>
        <Input className="field adjust-reason" value={reason} onInput={(e) => setReason(e.detail.value)} />
        <Button className="btn btn-primary actions" onClick={adjust}>
          确认调整
        </Button>
      </View>
      {reversing && (
        <ReasonForm
          title={`撤销：${reversing.memo}（${reversing.amount}）`}
          placeholder="为什么撤销"
          confirmText="撤销这一笔"
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
    </View>
  );
}
