import { ROLE_LABELS } from '@llb/shared';
import { Button, Switch, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { PageFrame } from '../../components/page-frame';
import { PrivacyPopup } from '../../components/privacy-popup';
import { Row } from '../../components/row';
import { WechatPhoneButton } from '../../components/wechat-phone-button';
import { api } from '../../services/api';
import { confirm } from '../../services/confirm';
import { attempt } from '../../services/feedback';
import { useUnreadBadge } from '../../services/inbox';
import { requireSignedIn } from '../../services/navigation';
import { clearSession } from '../../services/session';
import { useLoadOnShow } from '../../services/use-load';
import './index.css';

async function logout(): Promise<void> {
  if (!(await confirm({ title: '退出登录', content: '退出后要重新登录才能下单和看订单。', yes: '退出登录' })))
    return;
  clearSession();
  Taro.reLaunch({ url: '/pages/login/index' });
}

// 注销: asked twice in plain words, because it can't be undone.
async function deleteAccount(): Promise<void> {
  const first = await confirm({
    title: '注销账号',
    content: '注销后，您的姓名、电话、地址都会删除，不能恢复。服务记录和积分账目会匿名保留。确定要注销吗？',
    yes: '继续',
    no: '不注销',
  });
  if (!first) return;
  const second = await confirm({
    title: '再确认一次',
    content: '真的要注销吗？注销后这个账号就找不回来了，剩下的积分也不能再用。',
    yes: '确定注销',
    no: '不注销',
    danger: true,
  });
  if (!second) return;
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
    <PageFrame className="me" nav={false} error={error}>
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
          <Row
            label="所在社区"
            valueClassName="me-community"
            value={
              me.home
                ? `${me.home.communityName}${me.home.gridName ? ` · ${me.home.gridName}` : ''}`
                : '未选择'
            }
          />
          {me.roles.map((grant) => (
            <Row
              key={`${grant.role}-${grant.communityId ?? grant.streetId}`}
              className="me-role"
              label={ROLE_LABELS[grant.role]}
              value={grant.scopeName}
            />
          ))}
        </View>
      )}
      {me && (
        <View className="card elder-card">
          <Row label="长辈模式" className="elder-row">
            <Switch
              className="elder-switch"
              checked={me.elderMode}
              color="#b9400c"
              onChange={(e) => attempt(() => api.setElderMode(e.detail.value)).then(reload)}
            />
          </Row>
          <View className="muted">
            {me.elderMode ? '已打开：字更大，首页只留几个大按钮' : '打开后字更大，首页更简单'}
          </View>
        </View>
      )}
      {me && (
        <View className="card need-links">
          <Row
            label="我的求助"
            value="社区的答复"
            className="me-needs"
            onClick={() => Taro.navigateTo({ url: '/pages/needs/index' })}
          />
          <Row
            label="心愿墙"
            value="邻里的小心愿"
            className="me-wishes"
            onClick={() => Taro.navigateTo({ url: '/pages/wishes/index' })}
          />
        </View>
      )}
      {me?.volunteer && (
        <View className="card volunteer-links">
          <Row
            label="志愿者中心"
            value="接单、休息"
            className="me-volunteer-center"
            onClick={() => Taro.navigateTo({ url: '/volunteer/pages/profile/index' })}
          />
          <Row
            label="服务记录"
            value="每次服务的时长"
            className="me-records"
            onClick={() => Taro.navigateTo({ url: '/volunteer/pages/records/index' })}
          />
          <Row
            label="志愿服务证明"
            value="开具、下载"
            className="me-certificates"
            onClick={() => Taro.navigateTo({ url: '/volunteer/pages/certificates/index' })}
          />
        </View>
      )}
      {me && !me.volunteer?.actions.includes('take_tasks') && (
        <Button
          className="btn btn-primary become-volunteer"
          onClick={() => Taro.navigateTo({ url: '/volunteer/pages/apply/index' })}
        >
          {me.volunteer ? '我的志愿者申请' : '成为志愿者'}
        </Button>
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
    </PageFrame>
  );
}
