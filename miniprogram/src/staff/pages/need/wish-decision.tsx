import { type NeedView, type Policy, reviewNeedInput } from '@llb/shared';
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { Row } from '../../../components/row';
import { api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { inShanghai } from '../../../services/format';
import { maxLength } from '../../../services/limits';
import { formatDay } from '../../../services/period';

const WISH = reviewNeedInput.options[0].shape;
const TITLE_MAX = maxLength(WISH.title, 40);
const DESCRIPTION_MAX = maxLength(WISH.description, 300);

/** A Shanghai day `days` from today, YYYY-MM-DD. */
const dayAhead = (days: number) => inShanghai().add(days, 'day').format('YYYY-MM-DD');

/** How many days ahead the deadline's day may be: its end (23:59:59) stays inside policy wishDaysMax days. */
const lastOffset = (policy: Policy) => Math.max(policy.wishDaysMax - 1, 0);

/** 发布为微心愿: a title and words neighbours may read, the points from the community, and a deadline. */
export function WishDecision({
  need,
  policy,
  onDone,
}: {
  need: NeedView;
  policy: Policy;
  onDone: (need: NeedView) => void;
}) {
  const [title, setTitle] = useState(need.body.slice(0, Math.min(20, TITLE_MAX)));
  const [description, setDescription] = useState(need.body.slice(0, DESCRIPTION_MAX));
  const [points, setPoints] = useState(String(Math.min(10, policy.wishPointsMax)));
  const [day, setDay] = useState(() => dayAhead(Math.min(7, lastOffset(policy))));
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(): Promise<void> {
    const parsed = reviewNeedInput.safeParse({
      decision: 'publish_wish',
      title,
      description,
      points: Number(points),
      deadline: `${day}T23:59:59+08:00`,
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    const done = await attempt(() => api.reviewNeed(need.id, parsed.data), '已发布为微心愿');
    if (done) onDone(done);
  }

  return (
    <View className="card decision-form wish-decision">
      <Text className="subtitle">发布为微心愿</Text>
      <View className="muted">标题和说明会给志愿者和邻居看：不要写居民的姓名、电话和门牌。</View>
      <Text className="field-label">心愿标题</Text>
      <Input
        className="field wish-title-input"
        value={title}
        maxlength={TITLE_MAX}
        onInput={(e) => setTitle(e.detail.value)}
      />
      <Text className="field-label">心愿说明</Text>
      <Textarea
        className="field field-area wish-description-input"
        value={description}
        maxlength={DESCRIPTION_MAX}
        onInput={(e) => setDescription(e.detail.value)}
      />
      <Text className="field-label">{`奖励积分（社区出，最多 ${policy.wishPointsMax} 分）`}</Text>
      <Input
        className="field wish-points-input"
        type="number"
        value={points}
        maxlength={6}
        onInput={(e) => setPoints(e.detail.value)}
      />
      <Picker
        mode="date"
        value={day}
        start={dayAhead(0)}
        end={dayAhead(lastOffset(policy))}
        onChange={(e) => setDay(String(e.detail.value))}
      >
        <Row label="完成期限" valueClassName="wish-deadline" value={`${formatDay(day)} 前 ›`} />
      </Picker>
      <View className="muted">{`期限最长 ${policy.wishDaysMax} 天；到期没完成，心愿回到心愿墙。`}</View>
      {problem && <View className="error-text decision-problem">{problem}</View>}
      <Button className="btn btn-primary actions submit-wish" onClick={submit}>
        发布到心愿墙
      </Button>
    </View>
  );
}
