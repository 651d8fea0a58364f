import { SKILL_CLAIM_LABELS, type SkillOption, type VolunteerApplication } from '@llb/shared';
import { Button, Input, Switch, Text, View } from '@tarojs/components';
import { useCallback, useState } from 'react';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { api } from '../../../services/api';
import { attempt } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

const STATE_TEXT: Record<VolunteerApplication['reviewState'], string> = {
  pending: '已提交，等待社区审核',
  more_info: '社区请您补充材料，改好后再提交一次',
  approved: '审核通过，可以接单了',
  rejected: '没有通过审核，可以修改后重新申请',
  suspended: '志愿服务已暂停，如有疑问请联系社区',
};
const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];

/** 成为志愿者: the application form and, once sent, where it stands. The ID number is shown masked only. */
export default function ApplyPage() {
  const load = useCallback(
    () => Promise.all([api.myApplication(), api.skills()]).then(([mine, skills]) => ({ mine, skills })),
    [],
  );
  const { data, error, reload } = useLoadOnShow(load);
  const mine = data?.mine ?? null;
  const editable = !mine || mine.reviewState === 'more_info' || mine.reviewState === 'rejected';
  return (
    <PageFrame className="volunteer-apply" error={error}>
      {mine && (
        <View className="card application-status">
          <Row label="申请状态" value={STATE_TEXT[mine.reviewState]} />
          {mine.reviewNote && <Row label="社区留言" value={mine.reviewNote} />}
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
  const [chosen, setChosen] = useState<Record<string, string>>(
    Object.fromEntries((p?.skills ?? []).map((s) => [s.code, s.proofUrl ?? ''])),
  );
  const [days, setDays] = useState<number[]>(p?.availability.map((a) => a.weekday) ?? [6, 7]);
  const [radius, setRadius] = useState(String(p?.serviceRadiusM ?? 3000));
  const [party, setParty] = useState(p?.isPartyMember ?? false);
  const [employer, setEmployer] = useState(p?.employer ?? '');
  const [pledge, setPledge] = useState(false);

  const toggle = (code: string) =>
    setChosen(({ [code]: had, ...rest }) => (had === undefined ? { ...rest, [code]: '' } : rest));
  const submit = async () => {
    const done = await attempt(
      () =>
        api.applyVolunteer({
          realName,
          phone,
          idNumber,
          skills: Object.entries(chosen).map(([code, proofUrl]) => ({ code, proofUrl })),
          availability: [...new Set(days)].map((weekday) => ({ weekday, start: '09:00', end: '18:00' })),
          serviceRadiusM: Number(radius),
          isPartyMember: party,
          employer,
          pledge: pledge as true,
        }),
      '申请已提交，请等社区审核',
    );
    if (done) props.onDone();
  };

  return (
    <View className="card apply-form">
      <Text className="subtitle">基本信息</Text>
      <Input
        className="field apply-name"
        placeholder="真实姓名"
        value={realName}
        onInput={(e) => setRealName(e.detail.value)}
      />
      <Input
        className="field apply-phone"
        type="number"
        placeholder="手机号"
        value={phone}
        onInput={(e) => setPhone(e.detail.value)}
      />
      <Input
        className="field apply-id"
        type="idcard"
        placeholder={
          p?.idNumberMasked
            ? `身份证号（请再填一次，现为 ${p.idNumberMasked}）`
            : '身份证号（仅用于志愿服务记录，加密保存）'
        }
        value={idNumber}
        onInput={(e) => setIdNumber(e.detail.value)}
      />
      <Text className="subtitle">专长（带“需证明”的请填资质照片地址）</Text>
      {props.skills.map((s) => (
        <View key={s.code}>
          <Text
            className={`chip apply-skill ${chosen[s.code] !== undefined ? 'chip-on' : ''}`}
            onClick={() => toggle(s.code)}
          >
            {s.licensed ? `${s.name}（需证明）` : s.name}
          </Text>
          {s.licensed && chosen[s.code] !== undefined && (
            <Input
              className="field apply-proof"
              placeholder="资质证明照片地址 https://…"
              value={chosen[s.code]}
              onInput={(e) => setChosen({ ...chosen, [s.code]: e.detail.value })}
            />
          )}
        </View>
      ))}
      <Text className="subtitle">每周哪几天有空（9:00–18:00）</Text>
      <View className="menu-filters">
        {WEEKDAYS.map((w, i) => (
          <Text
            key={w}
            className={`chip apply-day ${days.includes(i + 1) ? 'chip-on' : ''}`}
            onClick={() => setDays(days.includes(i + 1) ? days.filter((d) => d !== i + 1) : [...days, i + 1])}
          >
            {`周${w}`}
          </Text>
        ))}
      </View>
      <Row label="服务范围（米）">
        <Input
          className="field apply-radius"
          type="number"
          value={radius}
          onInput={(e) => setRadius(e.detail.value)}
        />
      </Row>
      <Row label="在职党员双报到">
        <Switch checked={party} color="#b9400c" onChange={(e) => setParty(e.detail.value)} />
      </Row>
      {party && (
        <Input
          className="field apply-employer"
          placeholder="工作单位"
          value={employer}
          onInput={(e) => setEmployer(e.detail.value)}
        />
      )}
      <Row label="我承诺：遵守志愿服务规范，保护居民隐私，不收取任何费用">
        <Switch
          className="apply-pledge"
          checked={pledge}
          color="#b9400c"
          onChange={(e) => setPledge(e.detail.value)}
        />
      </Row>
      <Button className="btn btn-primary apply-submit" onClick={submit}>
        提交申请
      </Button>
    </View>
  );
}
