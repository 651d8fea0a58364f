import { type Me, SERVICE_CATEGORIES } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { PageFrame } from '../../components/page-frame';
import { api } from '../../services/api';
import { useUnreadBadge } from '../../services/inbox';
import { requireSignedIn } from '../../services/navigation';
import { useLoadOnShow } from '../../services/use-load';
import './index.css';

function callCommunity(me: Me | null): void {
  const phone = me?.home?.servicePhone;
  if (!phone) {
    Taro.showToast({ title: '还没有社区电话', icon: 'none' });
    return;
  }
  Taro.makePhoneCall({ phoneNumber: phone }).catch(() => {});
}

const open = (url: string) => Taro.navigateTo({ url });

function openMenu(category?: string): void {
  Taro.navigateTo({ url: `/pages/menu/index${category ? `?category=${category}` : ''}` });
}

export default function Home() {
  const load = useCallback(() => (requireSignedIn() ? api.me() : Promise.resolve(null)), []);
  const { data: me, error } = useLoadOnShow(load);
  useUnreadBadge();
  const isVolunteer = me?.roles.some((r) => r.role === 'volunteer') ?? false;
  const isStaff = (me?.staffCommunities.length ?? 0) > 0;

  return (
    <PageFrame className={`home ${me?.elderMode ? 'elder' : ''}`} nav={false} error={error}>
      <View className="greeting">
        <Text className="title">{me ? `${me.name}，您好` : '您好'}</Text>
        {me?.home && <Text className="muted">{`${me.home.streetName} · ${me.home.communityName}`}</Text>}
      </View>
      <View className="home-actions">
        <Button
          className="btn btn-primary home-big need-entry"
          onClick={() => open('/pages/need-form/index')}
        >
          <Text className="home-big-text">我要求助</Text>
          <Text className="home-big-hint">说一说遇到的难处，社区来安排</Text>
        </Button>
        <Button className="btn btn-secondary home-big" onClick={() => openMenu()}>
          <Text className="home-big-text">找人帮忙</Text>
          <Text className="home-big-hint">预约社区的上门服务</Text>
        </Button>
        <Button className="btn btn-secondary home-big" onClick={() => callCommunity(me)}>
          打电话给社区
        </Button>
      </View>
      {!me?.elderMode && (
        <View className="home-links">
          <Button
            className="btn btn-plain home-link my-needs-link"
            onClick={() => open('/pages/needs/index')}
          >
            我的求助
          </Button>
          <Button className="btn btn-plain home-link wishes-link" onClick={() => open('/pages/wishes/index')}>
            心愿墙
          </Button>
        </View>
      )}
      {(isVolunteer || isStaff) && (
        <View className="role-entries">
          {isVolunteer && (
            <Button
              className="btn btn-plain"
              onClick={() => Taro.navigateTo({ url: '/volunteer/pages/profile/index' })}
            >
              志愿者中心
            </Button>
          )}
          {isStaff && (
            <Button
              className="btn btn-plain"
              onClick={() => Taro.navigateTo({ url: '/staff/pages/console/index' })}
            >
              社区工作台
            </Button>
          )}
        </View>
      )}
      {me?.elderMode ? (
        // 长辈模式: the big buttons are the whole home; the menu is one tap away behind 找人帮忙.
        <Button
          className="btn btn-plain home-big elder-orders"
          onClick={() => Taro.switchTab({ url: '/pages/orders/index' })}
        >
          看看我的订单
        </Button>
      ) : (
        <View>
          <View className="subtitle">社区服务</View>
          <View className="categories">
            {SERVICE_CATEGORIES.map((category) => (
              <View key={category.code} className="category" onClick={() => openMenu(category.code)}>
                <Text className="category-name">{category.name}</Text>
                <Text className="category-hint">{category.hint}</Text>
              </View>
            ))}
          </View>
        </View>
      )}
    </PageFrame>
  );
}
