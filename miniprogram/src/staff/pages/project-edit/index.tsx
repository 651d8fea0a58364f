import {
  type CommunityChoice,
  type Project,
  type ProjectAction,
  projectInput,
  SERVICE_CATEGORIES,
  type SkillOption,
} from '@llb/shared';
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { ProjectTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt, routerParam } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';

const ACTION_LABELS: Record<ProjectAction, string> = { publish: '发布', pause: '暂停', archive: '归档' };
const isStatusAction = (action: string): action is ProjectAction => action in ACTION_LABELS;

// The shortest service that earns points without staff review: its default and limits are the shared schema's.
const minServiceField = projectInput.shape.minServiceMinutes;
const MIN_SERVICE = {
  initial: minServiceField.parse(undefined),
  low: minServiceField.unwrap().minValue ?? 0,
  high: minServiceField.unwrap().maxValue ?? 0,
};

// Text limits are the schema's: a field stops where the server would refuse.
const LIMITS = {
  title: maxLength(projectInput.shape.title),
  description: maxLength(projectInput.shape.description),
  locationNote: maxLength(projectInput.shape.locationNote),
};

/** What each status change means for residents, asked before it happens. */
const CHANGE_WORDS: Record<ProjectAction, string> = {
  publish: '发布后，居民马上就能在服务清单里看到并预约。',
  pause: '暂停后，居民暂时不能预约这项服务；已经约好的订单照常进行。',
  archive: '归档后，这项服务不再出现，也不能再发布。',
};

/** An empty box is missing (请填写…), not zero. */
const wholeNumber = (text: string) => (text.trim() === '' ? undefined : Number(text));

interface Form {
  title: string;
  category: string;
  description: string;
  requiredSkills: string[];
  pointsPerHour: string;
  expectedMinutes: string;
  maxMinutes: string;
  responseHours: string;
  minServiceMinutes: string;
  locationNote: string;
  serviceCommunityIds: string[];
}

const EMPTY: Form = {
  title: '',
  category: 'smart_elderly',
  description: '',
  requiredSkills: [],
  pointsPerHour: '10',
  expectedMinutes: '60',
  maxMinutes: '120',
  responseHours: '24',
  minServiceMinutes: String(MIN_SERVICE.initial),
  locationNote: '上门服务',
  serviceCommunityIds: [],
};

function toForm(p: Project): Form {
  return {
    title: p.title,
    category: p.category,
    description: p.description,
    requiredSkills: p.requiredSkills.map((s) => s.code),
    pointsPerHour: String(p.pointsPerHour),
    expectedMinutes: String(p.expectedMinutes),
    maxMinutes: String(p.maxMinutes),
    responseHours: String(p.responseHours),
    minServiceMinutes: String(p.minServiceMinutes),
    locationNote: p.locationNote,
    serviceCommunityIds: p.serviceCommunities.map((c) => c.id),
  };
}

export default function ProjectEdit() {
  const communityId = routerParam('communityId');
  const [project, setProject] = useState<Project | null>(null);
  const [form, setForm] = useState<Form>({ ...EMPTY, serviceCommunityIds: [communityId] });
  const [skills, setSkills] = useState<SkillOption[]>([]);
  const [communities, setCommunities] = useState<CommunityChoice[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const toggle = (list: string[], value: string) =>
    list.includes(value) ? list.filter((x) => x !== value) : [...list, value];

  useLoad(() => {
    attempt(async () => {
      const id = routerParam('id');
      const [allSkills, all, existing] = await Promise.all([
        api.skills(),
        api.communities(),
        id ? api.project(id) : Promise.resolve(null),
      ]);
      setSkills(allSkills);
      const street = all.find((c) => c.id === communityId)?.streetId;
      setCommunities(all.filter((c) => c.streetId === street));
      if (existing) {
        setProject(existing);
        setForm(toForm(existing));
      }
    });
  });

  async function save(): Promise<void> {
    const parsed = projectInput.safeParse({
      ...form,
      id: project?.id ?? null,
      version: project?.version ?? null,
      communityId,
      pointsPerHour: wholeNumber(form.pointsPerHour),
      expectedMinutes: wholeNumber(form.expectedMinutes),
      maxMinutes: wholeNumber(form.maxMinutes),
      responseHours: wholeNumber(form.responseHours),
      minServiceMinutes: wholeNumber(form.minServiceMinutes),
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    const saved = await attempt(() => api.saveProject(parsed.data), '已保存');
    if (saved) {
      setProject(saved);
      setForm(toForm(saved));
    }
  }

  async function change(action: ProjectAction): Promise<void> {
    if (!project) return;
    const sure = await confirm({
      title: `${ACTION_LABELS[action]}这项服务`,
      content: CHANGE_WORDS[action],
      yes: ACTION_LABELS[action],
    });
    if (!sure) return;
    const changed = await attempt(
      () => api.changeProjectStatus(project.id, action),
      `已${ACTION_LABELS[action]}`,
    );
    if (changed) setProject(changed);
  }

  const categoryIndex = SERVICE_CATEGORIES.findIndex((c) => c.code === form.category);
  const numberField = (label: string, key: keyof Form, className: string) => (
    <View>
      <Text className="field-label">{label}</Text>
      <Input
        className={`field ${className}`}
        type="number"
        maxlength={4}
        value={String(form[key])}
        onInput={(e) => set({ [key]: e.detail.value } as Partial<Form>)}
      />
    </View>
  );

  return (
    <PageFrame className="project-edit" audience="staff">
      {project && (
        <View className="card">
          <Row label="状态" valueClassName="project-state">
            <ProjectTag status={project.status} />
          </Row>
        </View>
      )}
      <View className="card">
        <Text className="field-label">项目名称</Text>
        <Input
          className="field project-title"
          value={form.title}
          maxlength={LIMITS.title}
          onInput={(e) => set({ title: e.detail.value })}
        />
        <Text className="field-label">服务类别</Text>
        <Picker
          mode="selector"
          range={SERVICE_CATEGORIES.map((c) => c.name)}
          value={Math.max(categoryIndex, 0)}
          onChange={(e) => set({ category: SERVICE_CATEGORIES[Number(e.detail.value)]?.code ?? 'other' })}
        >
          <View className="field project-category">
            {SERVICE_CATEGORIES[categoryIndex]?.name ?? '请选择'} ›
          </View>
        </Picker>
        <Text className="field-label">项目介绍</Text>
        <Textarea
          className="field field-area"
          value={form.description}
          maxlength={LIMITS.description}
          onInput={(e) => set({ description: e.detail.value })}
        />
        <Text className="field-label">需要的专长</Text>
        <View>
          {skills.map((s) => (
            <Text
              key={s.code}
              className={`chip project-skill ${form.requiredSkills.includes(s.code) ? 'chip-on' : ''}`}
              onClick={() => set({ requiredSkills: toggle(form.requiredSkills, s.code) })}
            >
              {s.name}
            </Text>
          ))}
        </View>
        {numberField('每小时积分', 'pointsPerHour', 'project-points')}
        {numberField('预计时长（分钟）', 'expectedMinutes', 'project-expected')}
        {numberField('最长计时（分钟）', 'maxMinutes', 'project-max')}
        {numberField('限时响应（小时内有人接单）', 'responseHours', 'project-response')}
        {numberField(
          `最短服务时长（分钟，${MIN_SERVICE.low}–${MIN_SERVICE.high}；更短的服务要社区核实后才计积分）`,
          'minServiceMinutes',
          'project-min-service',
        )}
        <Text className="field-label">服务地点</Text>
        <Input
          className="field"
          value={form.locationNote}
          maxlength={LIMITS.locationNote}
          onInput={(e) => set({ locationNote: e.detail.value })}
        />
        <Text className="field-label">哪些社区的居民可以预约</Text>
        <View>
          {communities.map((c) => (
            <Text
              key={c.id}
              className={`chip ${form.serviceCommunityIds.includes(c.id) ? 'chip-on' : ''}`}
              onClick={() => set({ serviceCommunityIds: toggle(form.serviceCommunityIds, c.id) })}
            >
              {c.name}
            </Text>
          ))}
        </View>
      </View>
      {problem && <View className="error-text">{problem}</View>}
      {(!project || project.actions.includes('edit')) && (
        <Button className="btn btn-primary save-project" onClick={save}>
          保存
        </Button>
      )}
      {project?.actions.filter(isStatusAction).map((action) => (
        <Button key={action} className={`btn btn-secondary project-${action}`} onClick={() => change(action)}>
          {ACTION_LABELS[action]}
        </Button>
      ))}
      {!project && <View className="muted">保存后可以发布。</View>}
      {project && (
        <Button className="btn btn-plain" onClick={() => Taro.navigateBack()}>
          返回列表
        </Button>
      )}
    </PageFrame>
  );
}
