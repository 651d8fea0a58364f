import { CASE_STATUS_LABELS, caseUpdateInput, type NeedView } from '@llb/shared';
import { Button, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';

const STEPS = ['in_progress', 'closed'] as const;
const REPLY_MAX = maxLength(caseUpdateInput.shape.reply, 300);

/** 社区事务的进展: 处理中 or 已办结, each with a reply the resident receives. */
export function CaseForm({ caseId, onDone }: { caseId: string; onDone: (need: NeedView) => void }) {
  const [step, setStep] = useState<(typeof STEPS)[number]>('in_progress');
  const [reply, setReply] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(): Promise<void> {
    const parsed = caseUpdateInput.safeParse({ status: step, reply });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请写几句给居民的回复');
      return;
    }
    setProblem(null);
    const done = await attempt(
      () => api.updateCase(caseId, parsed.data.status, parsed.data.reply),
      '已发给居民',
    );
    if (done) {
      setReply('');
      onDone(done);
    }
  }

  return (
    <View className="card decision-form case-form">
      <Text className="subtitle">社区事务的进展</Text>
      <View className="chips">
        {STEPS.map((s) => (
          <Text
            key={s}
            className={`chip case-step case-step-${s} ${step === s ? 'chip-on' : ''}`}
            onClick={() => setStep(s)}
          >
            {CASE_STATUS_LABELS[s]}
          </Text>
        ))}
      </View>
      <Text className="field-label">给居民的回复</Text>
      <Textarea
        className="field field-area case-reply"
        placeholder="比如：已联系物业，明天上午来修楼道灯。"
        value={reply}
        maxlength={REPLY_MAX}
        onInput={(e) => setReply(e.detail.value)}
      />
      {problem && <View className="error-text decision-problem">{problem}</View>}
      <Button className="btn btn-primary actions submit-case" onClick={submit}>
        发给居民
      </Button>
    </View>
  );
}
