import { type AuthOptions, type DemoIdentity, type LoginResult, ROLE_LABELS } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { PageFrame } from '../../components/page-frame';
import { PrivacyPopup } from '../../components/privacy-popup';
import { ApiError, api } from '../../services/api';
import { goHome } from '../../services/navigation';
import { isPlaced, saveSession } from '../../services/session';
import './index.css';
import './try-it.css';

function enter(result: LoginResult): void {
  saveSession(result);
  if (isPlaced(result.session)) goHome();
  else Taro.reLaunch({ url: '/pages/home-community/index' });
}

/** 试一试: which demo identity to pick for what, in the order a newcomer tries the loop. */
const TRY_IT: { key: string; what: string }[] = [
  { key: 'resident', what: '居民：在服务清单里预约上门服务，看进度、出示签到码、评价' },
  { key: 'volunteer', what: '志愿者：在任务大厅接单，到场用数字或定位签到、签退，攒积分兑换' },
  { key: 'staff', what: '社区工作人员：管服务清单，给没人接的订单派单，在积分超市核销' },
  { key: 'street-admin', what: '街道管理员：看全街道两个社区的订单、志愿者和积分' },
];

function TryIt({ identities, onPick }: { identities: DemoIdentity[]; onPick: (key: string) => void }) {
  const steps = TRY_IT.flatMap((step) => {
    const identity = identities.find((i) => i.key === step.key);
    return identity ? [{ ...step, name: identity.name }] : [];
  });
  if (steps.length === 0) return null;
  return (
    <View className="card try-it">
      <View className="subtitle">试一试</View>
      {steps.map((step) => (
        <View
          key={step.key}
          className="try-it-step"
          data-identity={step.key}
          onClick={() => onPick(step.key)}
        >
          <Text className="try-it-who">{step.name}</Text>
          <Text className="try-it-what">{step.what}</Text>
        </View>
      ))}
      <View className="muted">先用王秀英预约，再换李明接单，就能走完一单。</View>
    </View>
  );
}

export default function Login() {
  const [options, setOptions] = useState<AuthOptions | null>(null);
  const [identities, setIdentities] = useState<DemoIdentity[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useLoad(() => {
    api
      .authOptions()
      .then(async (found) => {
        setOptions(found);
        if (found.demo) setIdentities(await api.demoIdentities());
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : '无法连接服务，请稍后再试'));
  });

  async function run(login: () => Promise<LoginResult>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      enter(await login());
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登录失败，请再试一次');
    } finally {
      setBusy(false);
    }
  }

  const loginWithWechat = () =>
    run(async () => {
      const { code } = await Taro.login();
      return api.loginWechat(code);
    });

  const wechatAvailable = options?.wechat && process.env.TARO_ENV === 'weapp';

  return (
    <PageFrame className="login" audience="anyone" nav={false}>
      <View className="login-hero">
        <Text className="login-name">邻里帮</Text>
        <Text className="login-slogan">邻里互助，有事找社区</Text>
      </View>
      {error && <View className="error-text">{error}</View>}
      {wechatAvailable && (
        <Button className="btn btn-primary" disabled={busy || undefined} onClick={loginWithWechat}>
          微信一键登录
        </Button>
      )}
      {options && !wechatAvailable && !options.demo && (
        <View className="card muted">请在微信中打开“邻里帮”小程序登录。</View>
      )}
      {identities.length > 0 && (
        <View className="demo">
          <View className="subtitle">选择体验身份</View>
          <View className="muted demo-hint">本地体验环境，不需要微信账号</View>
          <TryIt identities={identities} onPick={(key) => !busy && run(() => api.loginDemo(key))} />
          {identities.map((identity) => (
            <Button
              key={identity.key}
              className="btn btn-plain demo-identity"
              data-identity={identity.key}
              disabled={busy || undefined}
              onClick={() => run(() => api.loginDemo(identity.key))}
            >
              {identity.name} · {ROLE_LABELS[identity.role]} · {identity.communityName}
            </Button>
          ))}
        </View>
      )}
      <View className="login-privacy muted">
        登录即表示您同意
        <Text className="login-privacy-link" onClick={() => Taro.navigateTo({ url: '/pages/privacy/index' })}>
          《邻里帮隐私政策》
        </Text>
      </View>
      <PrivacyPopup />
    </PageFrame>
  );
}
