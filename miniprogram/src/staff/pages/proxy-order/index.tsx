import { type Project, placeOrderInput, type ResidentMatch } from '@llb/shared';
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../../services/api';
import { earliestStart, lastBookableDay, windowSpans } from '../../../services/booking';
import { attempt, routerParam } from '../../../services/feedback';
import { formatMinutes, inShanghai, shanghaiIso } from '../../../services/format';
import { usePolicy } from '../../../services/policy';

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
  const project = projects[projectIndex];

  async function search(): Promise<void> {
    const found = await attempt(() => api.findResidents(communityId, query));
    if (found) setResidents(found);
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
      notes: `电话代下单。${notes}`,
    });
    if (!parsed.success) {
      Taro.showToast({ title: parsed.error.issues[0]?.message ?? '请检查填写的内容', icon: 'none' });
      return;
    }
    const order = await attempt(() => api.placeOrder(parsed.data), '已代下单');
    if (order) Taro.redirectTo({ url: `/staff/pages/order/index?id=${order.id}` });
  }

  return (
    <View className="page proxy-order">
      {!resident && (
        <View className="card">
          <Text className="field-label">居民姓名或手机尾号</Text>
          <Input className="field resident-query" value={query} onInput={(e) => setQuery(e.detail.value)} />
          <Button className="btn btn-primary actions" onClick={search}>
            查找居民
          </Button>
          {residents.map((r) => (
            <View key={r.id} className="row resident-match" onClick={() => choose(r)}>
              <Text className="row-label">{r.name}</Text>
              <Text className="row-value">{`${r.phone} ${r.address ?? ''}`}</Text>
            </View>
          ))}
        </View>
      )}
      {resident && (
        <View className="card">
          <View className="row">
            <Text className="row-label">服务对象</Text>
            <Text className="row-value" onClick={() => setResident(null)}>{`${resident.name}（更换）`}</Text>
          </View>
          <Picker
            mode="selector"
            range={projects.map((p) => p.title)}
            value={projectIndex}
            onChange={(e) => chooseProject(Number(e.detail.value))}
          >
            <View className="row">
              <Text className="row-label">服务项目</Text>
              <Text className="row-value proxy-project">
                {project?.title ?? '这位居民暂时没有可预约的服务'} ›
              </Text>
            </View>
          </Picker>
          <Picker
            mode="date"
            value={date}
            start={policy ? earliestStart(policy).format('YYYY-MM-DD') : undefined}
            end={policy ? lastBookableDay(policy).format('YYYY-MM-DD') : undefined}
            onChange={(e) => setDate(String(e.detail.value))}
          >
            <View className="row">
              <Text className="row-label">日期</Text>
              <Text className="row-value">{dayjs(date).format('M月D日')} ›</Text>
            </View>
          </Picker>
          <Picker mode="time" value={time} onChange={(e) => setTime(String(e.detail.value))}>
            <View className="row">
              <Text className="row-label">开始时间</Text>
              <Text className="row-value">{time} ›</Text>
            </View>
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
          <Textarea className="field field-area" value={notes} onInput={(e) => setNotes(e.detail.value)} />
          <Button className="btn btn-primary actions" onClick={submit}>
            代居民下单
          </Button>
        </View>
      )}
    </View>
  );
}
