import { type SkillOption, updateVolunteerProfileInput, type VolunteerApplication } from '@llb/shared';
import { Button, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AvailabilityEditor, type Slot } from '../../../components/availability-editor';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { RadiusChooser } from '../../../components/radius-chooser';
import { type ChosenSkills, chosenFrom, SkillChooser, skillsInput } from '../../../components/skill-chooser';
import { ApiError, api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { goBack } from '../../../services/navigation';
import { useLoadOnShow } from '../../../services/use-load';

/** 编辑资料: what an approved volunteer offers — skills, weekly times, how far from home. */
export default function ProfileEdit() {
  const load = useCallback(async () => {
    const [summary, mine, skills, me] = await Promise.all([
      api.volunteerSummary(),
      api.myApplication(),
      api.skills(),
      api.me(),
    ]);
    // Skills that count today (me.volunteer) but were never claimed in an application (registered
    // before the app) start chosen too, so saving doesn't drop them.
    const current = me.volunteer?.skills.map((s) => s.code) ?? [];
    return { summary, mine, skills, current };
  }, []);
  const { data, error } = useLoadOnShow(load);
  const allowed = data?.summary.actions.includes('edit_profile') ?? false;
  return (
    <PageFrame className="profile-edit" error={error}>
      {data && (!allowed || !data.mine) && (
        <EmptyState
          title="现在不能修改资料"
          hint="审核通过的志愿者才能修改专长和时间；有疑问请联系社区。"
          next={{ label: '返回', onClick: goBack }}
        />
      )}
      {data && allowed && data.mine && (
        // Keyed by the loaded application, so coming back to the page starts from what is saved.
        <EditForm
          key={data.mine.reviewedAt ?? ''}
          mine={data.mine}
          skills={data.skills}
          current={data.current}
        />
      )}
    </PageFrame>
  );
}

function EditForm({
  mine,
  skills,
  current,
}: {
  mine: VolunteerApplication;
  skills: SkillOption[];
  current: string[];
}) {
  const [chosen, setChosen] = useState<ChosenSkills>(() => ({
    ...Object.fromEntries(current.map((code) => [code, ''])),
    ...chosenFrom(mine.skills),
  }));
  const [slots, setSlots] = useState<Slot[]>(mine.availability);
  const [radius, setRadius] = useState(mine.serviceRadiusM);
  const [problem, setProblem] = useState<string | null>(null);

  async function save(): Promise<void> {
    const parsed = updateVolunteerProfileInput.safeParse({
      skills: skillsInput(chosen),
      availability: slots,
      serviceRadiusM: radius,
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    const saved = await attempt(async () => {
      try {
        return await api.updateVolunteerProfile(parsed.data);
      } catch (e) {
        // The server's word stays beside the button after the dialog closes.
        if (e instanceof ApiError) setProblem(e.message);
        throw e;
      }
    }, '已保存');
    if (saved) setTimeout(goBack, 800);
  }

  return (
    <View>
      <View className="card">
        <View className="subtitle">我的专长</View>
        <View className="muted">
          带“需证明”的专长，新加或换了证明照片，要等社区重新认证，认证前不会给您派这类任务。
        </View>
        <SkillChooser skills={skills} chosen={chosen} onChange={setChosen} claims={mine.skills} />
      </View>
      <View className="card">
        <View className="subtitle">每周什么时候有空</View>
        <View className="muted">社区只在这些时间里给您派单；任务大厅里的任务随时可以自己接。</View>
        <AvailabilityEditor slots={slots} onChange={setSlots} />
      </View>
      <View className="card">
        <View className="subtitle">离家多远可以去</View>
        <RadiusChooser value={radius} onChange={setRadius} />
      </View>
      {problem && <View className="error-text profile-problem">{problem}</View>}
      <Button className="btn btn-primary save-profile" onClick={save}>
        保存
      </Button>
      <Button className="btn btn-plain" onClick={goBack}>
        不改了
      </Button>
    </View>
  );
}
