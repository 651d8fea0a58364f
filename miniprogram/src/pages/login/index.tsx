import { type AuthOptions, type DemoIdentity, type LoginResult, ROLE_LABELS } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { PrivacyPopup } from '../../components/privacy-popup';
import { ApiError, api } from '../../services/api';
import { goHome } from '../../services/navigation';
import { isPlaced, saveSession } from '../../services/session';
import './index.css';

function enter(result: LoginResult): void {
  saveSession(result);
  if (isPlaced(result.session)) goHome();
  else Taro.reLaunch({ url: '/pages/home-community/index' });
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
    <View className="page login">
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
    </View>
  );
}
