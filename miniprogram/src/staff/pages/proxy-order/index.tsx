import { type Project, placeOrderInput, type ResidentMatch } from '@llb/shared';
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { inShanghai, shanghaiIso } from '../../../services/format';

/** 代下单: a resident phoned in; staff find them, pick the service and time, and order on their behalf. */
export default function ProxyOrder() {
  const communityId = routerParam('communityId');
  const [query, setQuery] = useState('');
  const [residents, setResidents] = useState<ResidentMatch[]>([]);
  const [resident, setResident] = useState<ResidentMatch | null>(null);
  const [projects, setProjects] = useState<Project[]>([]);
  const [projectIndex, setProjectIndex] = useState(0);
  const [date, setDate] = useState(inShanghai().add(1, 'day').format('YYYY-MM-DD'));
  const [time, setTime] = useState('09:00');
  const [notes, setNotes] = useState('');

  useLoad(() => {
    attempt(async () => {
      const all = await api.communityProjects(communityId);
      setProjects(
        all.filter((p) => p.status === 'published' && p.serviceCommunities.some((c) => c.id === communityId)),
      );
    });
  });

  async function search(): Promise<void> {
    const found = await attempt(() => api.findResidents(communityId, query));
    if (found) setResidents(found);
  }

  async function submit(): Promise<void> {
    const project = projects[projectIndex];
    if (!resident || !project) return;
    const start = shanghaiIso(date, time);
    const parsed = placeOrderInput.safeParse({
      projectId: project.id,
      residentId: resident.id,
      windowStart: start,
      windowEnd: inShanghai(start).add(Math.max(120, project.expectedMinutes), 'minute').format(),
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
            <View key={r.id} className="row resident-match" onClick={() => setResident(r)}>
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
            onChange={(e) => setProjectIndex(Number(e.detail.value))}
          >
            <View className="row">
              <Text className="row-label">服务项目</Text>
              <Text className="row-value">{projects[projectIndex]?.title ?? '没有已发布的项目'} ›</Text>
            </View>
          </Picker>
          <Picker mode="date" value={date} onChange={(e) => setDate(String(e.detail.value))}>
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
