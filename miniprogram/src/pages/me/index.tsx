import { ROLE_LABELS } from '@llb/shared';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { PrivacyPopup } from '../../components/privacy-popup';
import { WechatPhoneButton } from '../../components/wechat-phone-button';
import { api } from '../../services/api';
import { attempt } from '../../services/feedback';
import { useUnreadBadge } from '../../services/inbox';
import { requireSignedIn } from '../../services/navigation';
import { clearSession } from '../../services/session';
import { useLoadOnShow } from '../../services/use-load';
import './index.css';

function logout(): void {
  Taro.showModal({ title: '退出登录', content: '确定要退出登录吗？', confirmText: '退出' }).then((res) => {
    if (!res.confirm) return;
    clearSession();
    Taro.reLaunch({ url: '/pages/login/index' });
  });
}

// 注销: asked twice in plain words, because it can't be undone.
async function deleteAccount(): Promise<void> {
  const first = await Taro.showModal({
    title: '注销账号',
    content: '注销后，您的姓名、电话、地址都会删除，不能恢复。服务记录和积分账目会匿名保留。确定要注销吗？',
    confirmText: '继续',
    cancelText: '不注销',
  });
  if (!first.confirm) return;
  const second = await Taro.showModal({
    title: '再确认一次',
    content: '真的要注销吗？注销后这个账号就找不回来了，剩下的积分也不能再用。',
    confirmText: '确定注销',
    confirmColor: '#c62828',
    cancelText: '不注销',
  });
  if (!second.confirm) return;
  const done = await attempt(() => api.deleteAccount(), '账号已注销');
  if (!done) return;
  clearSession();
  Taro.reLaunch({ url: '/pages/login/index' });
}

export default function MePage() {
  const load = useCallback(() => (requireSignedIn() ? api.me() : Promise.resolve(null)), []);
  const { data: me, error, reload } = useLoadOnShow(load);
  useUnreadBadge();

  return (
    <View className="page me">
      {error && <View className="error-text">{error}</View>}
      {me && (
        <View className="card me-card">
          <View className="avatar">{me.name.slice(0, 1)}</View>
          <View className="me-name-block">
            <Text className="title me-name">{me.name}</Text>
            <Text className="muted">{me.phoneMasked || '未填写手机号'}</Text>
          </View>
        </View>
      )}
      {me && <WechatPhoneButton onPhone={reload} />}
      {me && (
        <View className="card">
          <View className="row">
            <Text className="row-label">所在社区</Text>
            <Text className="row-value me-community">
              {me.home
                ? `${me.home.communityName}${me.home.gridName ? ` · ${me.home.gridName}` : ''}`
                : '未选择'}
            </Text>
          </View>
          {me.roles.map((grant) => (
            <View className="row me-role" key={`${grant.role}-${grant.communityId ?? grant.streetId}`}>
              <Text className="row-label">{ROLE_LABELS[grant.role]}</Text>
              <Text className="row-value">{grant.scopeName}</Text>
            </View>
          ))}
        </View>
      )}
      {me && (
        <View className="card row elder-row">
          <View className="me-name-block">
            <Text className="row-value">长辈模式</Text>
            <Text className="muted">字更大，首页更简单</Text>
          </View>
          <Switch
            className="elder-switch"
            checked={me.elderMode}
            color="#b9400c"
            onChange={(e) => attempt(() => api.setElderMode(e.detail.value)).then(reload)}
          />
        </View>
      )}
      <Button
        className="btn btn-plain"
        onClick={() => Taro.navigateTo({ url: '/pages/home-community/index' })}
      >
        更换所在社区
      </Button>
      <Button className="btn btn-plain" onClick={() => Taro.navigateTo({ url: '/pages/privacy/index' })}>
        隐私政策
      </Button>
      <Button className="btn btn-plain" onClick={logout}>
        退出登录
      </Button>
      {me && (
        <Button className="btn btn-plain delete-account" onClick={deleteAccount}>
          注销账号
        </Button>
      )}
      <PrivacyPopup />
    </View>
  );
}
