import { type NeedView, type Policy, type Project, reviewNeedInput } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { ProjectOrderForm, type ProjectOrderInput } from '../../../components/project-order-form';
import { api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';

const NOTES_MAX = maxLength(reviewNeedInput.options[1].shape.notes, 500);
const rank = (project: Project, category: string | undefined) => (project.category === category ? 0 : 1);

/** 帮居民预约服务: a 代下单 prefilled from the need (its words as the notes); the need then follows the order. */
export function OrderDecision({
  need,
  policy,
  onDone,
}: {
  need: NeedView;
  policy: Policy;
  onDone: (need: NeedView) => void;
}) {
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    // The projects of the suggested category first: the picker starts on the likeliest one.
    const suggested = need.suggestion?.category;
    api
      .residentMenu(need.residentId)
      .then((menu) => setProjects([...menu].sort((a, b) => rank(a, suggested) - rank(b, suggested))))
      .catch(() => setProblem('没有取到这位居民能预约的服务，请稍后再试'));
  }, [need.residentId, need.suggestion?.category]);

  async function submit(input: ProjectOrderInput): Promise<void> {
    const parsed = reviewNeedInput.safeParse({ decision: 'make_order', ...input });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    const done = await attempt(() => api.reviewNeed(need.id, parsed.data), '已为居民预约');
    if (done) onDone(done);
  }

  return (
    <View className="card decision-form order-decision">
      <Text className="subtitle">帮居民预约服务</Text>
      <View className="muted">按服务清单为居民代下单，志愿者接单上门；这条求助跟着订单走。</View>
      {projects && (
        <ProjectOrderForm
          policy={policy}
          projects={projects}
          notesLabel="给志愿者的说明（已填上居民的原话，可以改）"
          notesMax={NOTES_MAX}
          initialNotes={need.body}
          contact
          submitLabel="代居民预约"
          onSubmit={submit}
        />
      )}
      {problem && <View className="error-text decision-problem">{problem}</View>}
    </View>
  );
}
