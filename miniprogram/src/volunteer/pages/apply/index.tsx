import {
  applyVolunteerInput,
  SKILL_CLAIM_LABELS,
  type SkillOption,
  type VolunteerApplication,
} from '@llb/shared';
import { Button, Input, Switch, Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { AvailabilityEditor, DEFAULT_SLOTS, type Slot } from '../../../components/availability-editor';
import { PageFrame } from '../../../components/page-frame';
import { RadiusChooser } from '../../../components/radius-chooser';
import { Row } from '../../../components/row';
import { type ChosenSkills, chosenFrom, SkillChooser, skillsInput } from '../../../components/skill-chooser';
import { WechatPhoneButton } from '../../../components/wechat-phone-button';
import { api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';
import { useLoadOnShow } from '../../../services/use-load';
import './index.css';

type ReviewState = VolunteerApplication['reviewState'];

/** Where the application stands, in words, and whether the applicant may change it and send it again. */
const STATES: Record<ReviewState, { text: string; editable: boolean }> = {
  pending: { text: '已提交，等待社区审核', editable: false },
  more_info: { text: '社区请您补充材料，改好后再提交一次', editable: true },
  approved: { text: '审核通过，可以接单了', editable: false },
  rejected: { text: '没有通过审核，可以修改后重新申请', editable: true },
  suspended: { text: '志愿服务已暂停，如有疑问请联系社区', editable: false },
};

const PLEDGE = '遵守志愿服务规范，保护居民隐私，不收取任何费用。';
const fields = applyVolunteerInput.shape;

/** 成为志愿者: the application form and, once sent, where it stands. The ID number is shown masked only. */
export default function ApplyPage() {
  const load = useCallback(
    () => Promise.all([api.myApplication(), api.skills()]).then(([mine, skills]) => ({ mine, skills })),
    [],
  );
  const { data, error, reload } = useLoadOnShow(load);
  const mine = data?.mine ?? null;
  const editable = !mine || STATES[mine.reviewState].editable;
  return (
    <PageFrame className="volunteer-apply" error={error}>
      {mine && (
        <View className="card application-status">
          <Row label="申请状态" value={STATES[mine.reviewState].text} valueClassName="application-state" />
          {mine.reviewNote && <Row label="社区留言" value={mine.reviewNote} stack />}
          <Row label="身份证号" value={mine.idNumberMasked ?? ''} />
          {mine.skills.map((s) => (
            <Row key={s.code} label={s.name} value={SKILL_CLAIM_LABELS[s.status]} />
          ))}
        </View>
      )}
      {data && editable && <ApplyForm skills={data.skills} previous={mine} onDone={reload} />}
    </PageFrame>
  );
}

function ApplyForm(props: {
  skills: SkillOption[];
  previous: VolunteerApplication | null;
  onDone: () => void;
}) {
  const p = props.previous;
  const [realName, setRealName] = useState(p?.realName ?? '');
  const [phone, setPhone] = useState(p?.phone ?? '');
  const [idNumber, setIdNumber] = useState('');
  const [chosen, setChosen] = useState<ChosenSkills>(chosenFrom(p?.skills));
  const [slots, setSlots] = useState<Slot[]>(p?.availability ?? DEFAULT_SLOTS);
  const [radius, setRadius] = useState(p?.serviceRadiusM ?? 3000);
  const [party, setParty] = useState(p?.isPartyMember ?? false);
  const [employer, setEmployer] = useState(p?.employer ?? '');
  const [pledge, setPledge] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async () => {
    // The same schema the server parses with: its Chinese message names the field to fix.
    const parsed = applyVolunteerInput.safeParse({
      realName,
      phone,
      idNumber,
      skills: skillsInput(chosen),
      availability: slots,
      serviceRadiusM: radius,
      isPartyMember: party,
      employer,
      pledge,
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    const done = await attempt(() => api.applyVolunteer(parsed.data), '申请已提交，请等社区审核');
    if (done) props.onDone();
  };

  return (
    <View className="card apply-form">
      <View className="subtitle">基本信息</View>
      <Text className="field-label">真实姓名</Text>
      <Input
        className="field apply-name"
        placeholder="和身份证上的一样"
        maxlength={maxLength(fields.realName)}
        value={realName}
        onInput={(e) => setRealName(e.detail.value)}
      />
      <Text className="field-label">手机号</Text>
      <WechatPhoneButton onPhone={setPhone} />
      <Input
        className="field apply-phone"
        type="number"
        maxlength={11}
        placeholder={process.env.TARO_ENV === 'weapp' ? '或者自己填 11 位手机号' : '11 位手机号'}
        value={phone}
        onInput={(e) => setPhone(e.detail.value)}
      />
      <Text className="field-label">身份证号</Text>
      <Input
        className="field apply-id"
        type="idcard"
        maxlength={18}
        placeholder={p?.idNumberMasked ? `请再填一次（现为 ${p.idNumberMasked}）` : '18 位，最后一位可能是 X'}
        value={idNumber}
        onInput={(e) => setIdNumber(e.detail.value)}
      />
      <View className="muted">身份证号只用于登记志愿服务记录，加密保存，任何页面都只显示遮住的号码。</View>

      <View className="subtitle">专长</View>
      <View className="muted">带“需证明”的，请拍一张证书或执照的照片，社区认证后才会派这类任务。</View>
      <SkillChooser skills={props.skills} chosen={chosen} onChange={setChosen} claims={p?.skills} />

      <View className="subtitle">每周什么时候有空</View>
      <View className="muted">社区只在这些时间里给您派单；任务大厅里的任务随时可以自己接。</View>
      <AvailabilityEditor slots={slots} onChange={setSlots} />

      <View className="subtitle">离家多远可以去</View>
      <RadiusChooser value={radius} onChange={setRadius} />

      <Row label="在职党员双报到">
        <Switch checked={party} color="#b9400c" onChange={(e) => setParty(e.detail.value)} />
      </Row>
      {party && (
        <Input
          className="field apply-employer"
          placeholder="工作单位"
          maxlength={maxLength(fields.employer)}
          value={employer}
          onInput={(e) => setEmployer(e.detail.value)}
        />
      )}

      <View className="subtitle">志愿者承诺</View>
      <View className="pledge-text">{`我承诺：${PLEDGE}`}</View>
      <Row label="我同意以上承诺">
        <Switch
          className="apply-pledge"
          checked={pledge}
          color="#b9400c"
          onChange={(e) => setPledge(e.detail.value)}
        />
      </Row>
      {problem && <View className="error-text apply-problem">{problem}</View>}
      <Button className="btn btn-primary actions apply-submit" onClick={submit}>
        提交申请
      </Button>
    </View>
  );
}
