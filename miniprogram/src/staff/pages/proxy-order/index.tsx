import { type Project, placeOrderInput, type ResidentMatch } from '@llb/shared';
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import dayjs from 'dayjs';
import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { api } from '../../../services/api';
import { earliestStart, lastBookableDay, windowSpans } from '../../../services/booking';
import { attempt, routerParam } from '../../../services/feedback';
import { formatMinutes, inShanghai, shanghaiIso } from '../../../services/format';
import { maxLength } from '../../../services/limits';
import { usePolicy } from '../../../services/policy';

/** 代下单 puts this before what staff type, inside the same notes field (and its limit). */
const PROXY_NOTE = '电话代下单。';
const NOTES_MAX = maxLength(placeOrderInput.shape.notes) - PROXY_NOTE.length;

/** 代下单: a resident phoned in; staff find them, pick the service and time, and order on their behalf. */
export default function ProxyOrder() {
  const communityId = routerParam('communityId');
  const policy = usePolicy();
  const [query, setQuery] = useState('');
  const [residents, setResidents] = useState<ResidentMatch[]>([]);
  const [resident, setResident] = useState<ResidentMatch | null>(null);
  // What this resident may order, as the server decides (GET /staff/residents/:id/menu).
  const [projects, setProjects] = useState<Project[]>([]);
  const [projectIndex, setProjectIndex] = useState(0);
  const [span, setSpan] = useState(0);
  const [date, setDate] = useState(inShanghai().add(1, 'day').format('YYYY-MM-DD'));
  const [time, setTime] = useState('09:00');
  const [notes, setNotes] = useState('');
  const [searched, setSearched] = useState(false);
  const project = projects[projectIndex];

  async function search(): Promise<void> {
    const found = await attempt(() => api.findResidents(communityId, query));
    if (found) {
      setResidents(found);
      setSearched(true);
    }
  }

  function chooseProject(index: number, from: Project[] = projects): void {
    setProjectIndex(index);
    const chosen = from[index];
    setSpan(chosen ? (windowSpans(chosen)[0] ?? chosen.expectedMinutes) : 0);
  }

  async function choose(match: ResidentMatch): Promise<void> {
    const menu = await attempt(() => api.residentMenu(match.id));
    if (!menu) return;
    setResident(match);
    setProjects(menu);
    chooseProject(0, menu);
  }

  async function submit(): Promise<void> {
    if (!resident || !project) return;
    const start = shanghaiIso(date, time);
    const parsed = placeOrderInput.safeParse({
      projectId: project.id,
      residentId: resident.id,
      windowStart: start,
      windowEnd: inShanghai(start).add(span, 'minute').format(),
      notes: `${PROXY_NOTE}${notes}`,
    });
    if (!parsed.success) {
      Taro.showToast({ title: parsed.error.issues[0]?.message ?? '请检查填写的内容', icon: 'none' });
      return;
    }
    const order = await attempt(() => api.placeOrder(parsed.data), '已代下单');
    if (order) Taro.redirectTo({ url: `/staff/pages/order/index?id=${order.id}` });
  }

  return (
    <PageFrame className="proxy-order" audience="staff">
      {!resident && (
        <View className="card">
          <Text className="field-label">居民姓名或手机尾号</Text>
          <Input
            className="field resident-query"
            value={query}
            maxlength={40}
            onInput={(e) => setQuery(e.detail.value)}
          />
          <Button className="btn btn-primary actions" onClick={search}>
            查找居民
          </Button>
          {residents.map((r) => (
            <Row
              key={r.id}
              className="resident-match"
              label={r.name}
              value={`${r.phone} ${r.address ?? ''}`}
              onClick={() => choose(r)}
            />
          ))}
        </View>
      )}
      {!resident && searched && residents.length === 0 && (
        <EmptyState title="没有找到这位居民" hint="换个写法再找：姓名里的一个字，或手机号后 4 位。" />
      )}
      {resident && (
        <View className="card">
          <Row label="服务对象" value={`${resident.name}（更换）`} onClick={() => setResident(null)} />
          <Picker
            mode="selector"
            range={projects.map((p) => p.title)}
            value={projectIndex}
            onChange={(e) => chooseProject(Number(e.detail.value))}
          >
            <Row
              label="服务项目"
              valueClassName="proxy-project"
              value={`${project?.title ?? '这位居民暂时没有可预约的服务'} ›`}
            />
          </Picker>
          <Picker
            mode="date"
            value={date}
            start={policy ? earliestStart(policy).format('YYYY-MM-DD') : undefined}
            end={policy ? lastBookableDay(policy).format('YYYY-MM-DD') : undefined}
            onChange={(e) => setDate(String(e.detail.value))}
          >
            <Row label="日期" value={`${dayjs(date).format('M月D日')} ›`} />
          </Picker>
          <Picker mode="time" value={time} onChange={(e) => setTime(String(e.detail.value))}>
            <Row label="开始时间" value={`${time} ›`} />
          </Picker>
          {project && (
            <View className="spans">
              {windowSpans(project).map((s) => (
                <Text
                  key={s}
                  className={`chip span ${s === span ? 'chip-on' : ''}`}
                  onClick={() => setSpan(s)}
                >
                  {`${formatMinutes(s)}内`}
                </Text>
              ))}
            </View>
          )}
          {policy && (
            <Text className="muted">
              {`可以预约 ${formatMinutes(policy.orderNoticeMinutes)}以后、${policy.orderHorizonDays} 天以内的时间`}
            </Text>
          )}
          <Text className="field-label">电话里说的情况</Text>
          <Textarea
            className="field field-area"
            value={notes}
            maxlength={NOTES_MAX}
            onInput={(e) => setNotes(e.detail.value)}
          />
          <Button className="btn btn-primary actions" onClick={submit}>
            代居民下单
          </Button>
        </View>
      )}
    </PageFrame>
  );
}
