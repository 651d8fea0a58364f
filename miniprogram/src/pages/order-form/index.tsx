import { type Policy, type Project, placeOrderInput } from '@llb/shared';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { PageFrame } from '../../components/page-frame';
import { PrivacyPopup } from '../../components/privacy-popup';
import { WechatPhoneButton } from '../../components/wechat-phone-button';
import { firstWindow, type WindowChoice, WindowPicker, windowTimes } from '../../components/window-picker';
import { api } from '../../services/api';
import { attempt, routerParam } from '../../services/feedback';
import { formatMinutes } from '../../services/format';
import { maxLength } from '../../services/limits';
import { locateServiceAddress } from '../../services/location';
import { useSubscribe } from '../../services/subscribe';
import './index.css';

// Form limits are the shared schema's: the field stops where the server would refuse.
const LIMITS = {
  address: maxLength(placeOrderInput.shape.address),
  phone: maxLength(placeOrderInput.shape.contactPhone, 13),
  notes: maxLength(placeOrderInput.shape.notes),
};

/** 点单: the resident picks a time, confirms where and how to reach them, and sends. */
export default function OrderForm() {
  const [project, setProject] = useState<Project | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [when, setWhen] = useState<WindowChoice | null>(null);
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [notes, setNotes] = useState('');
  const [location, setLocation] = useState<{ latitude: number; longitude: number } | null>(null);
  const [locating, setLocating] = useState(false);
  const [locationNote, setLocationNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const reminders = useSubscribe('order');

  useLoad(() => {
    attempt(async () => {
      const [found, me] = await Promise.all([api.project(routerParam('projectId')), api.me()]);
      setPolicy(me.policy);
      setWhen(firstWindow(me.policy, found));
      setProject(found);
      setAddress(me.address ?? '');
      setPhone(me.phone ?? '');
    });
  });

  async function recordLocation(): Promise<void> {
    if (locating) return;
    setLocating(true);
    const found = await locateServiceAddress();
    setLocating(false);
    if (found.ok) {
      setLocation({ latitude: found.position.latitude, longitude: found.position.longitude });
      setLocationNote({ ok: true, text: found.name ? `已记录：${found.name}` : '已记录现在的位置' });
    } else {
      setLocationNote({ ok: false, text: found.message });
    }
  }

  async function submit(): Promise<void> {
    if (!project || !when) return;
    const parsed = placeOrderInput.safeParse({
      projectId: project.id,
      ...windowTimes(when),
      address,
      contactPhone: phone,
      notes,
      ...location,
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    // 接单和完成提醒: WeChat asks only inside this tap, so before the order goes out.
    await reminders.ask();
    const order = await attempt(() => api.placeOrder(parsed.data), '预约成功');
    if (order) Taro.redirectTo({ url: `/pages/order-detail/index?id=${order.id}` });
  }

  if (!project || !policy || !when) return <PageFrame className="order-form" />;
  return (
    <PageFrame className="order-form">
      <View className="card order-form-head">
        <Text className="title">{project.title}</Text>
        {project.description && <Text className="order-form-desc">{project.description}</Text>}
        <Text className="muted">{`约 ${formatMinutes(project.expectedMinutes)}`}</Text>
      </View>

      <View className="subtitle">什么时候来？</View>
      <View className="card">
        <WindowPicker policy={policy} project={project} value={when} onChange={setWhen} />
      </View>

      <View className="subtitle">到哪里、怎么联系您？</View>
      <View className="card">
        <Text className="field-label">服务地址</Text>
        <Input
          className="field order-address"
          value={address}
          maxlength={LIMITS.address}
          onInput={(e) => setAddress(e.detail.value)}
        />
        <Text className="field-label">联系电话</Text>
        <Input
          className="field order-phone"
          type="number"
          value={phone}
          maxlength={LIMITS.phone}
          onInput={(e) => setPhone(e.detail.value)}
        />
        <WechatPhoneButton onPhone={setPhone} />
        <Text className="field-label">想让志愿者知道的事（可不填）</Text>
        <Textarea
          className="field field-area order-notes"
          value={notes}
          maxlength={LIMITS.notes}
          onInput={(e) => setNotes(e.detail.value)}
        />
        <Text className="field-label">在家里下单时记录一下，志愿者到了可以用定位签到（可不填）</Text>
        <Button
          className="btn btn-plain record-location"
          disabled={locating || undefined}
          onClick={recordLocation}
        >
          {locating ? '正在定位…' : location ? '重新记录位置' : '记录我现在的位置'}
        </Button>
        {locationNote && (
          <Text className={`location-note ${locationNote.ok ? 'muted' : 'error-text'}`}>
            {locationNote.text}
          </Text>
        )}
      </View>

      {problem && <View className="error-text">{problem}</View>}
      <Button className="btn btn-primary submit-order" onClick={submit}>
        提交预约
      </Button>
      <PrivacyPopup />
    </PageFrame>
  );
}
