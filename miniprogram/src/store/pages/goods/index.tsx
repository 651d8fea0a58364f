import type { Goods } from '@llb/shared';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { Points } from '../../../components/amount';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt } from '../../../services/feedback';
import { usePolicy } from '../../../services/policy';
import { useLoadOnShow } from '../../../services/use-load';

/** 积分超市: donated goods, their price in points, stock and what is left of this month's limit. */
export default function GoodsPage() {
  const load = useCallback(async () => ({ goods: await api.goods(), wallet: await api.wallet() }), []);
  const { data, error, reload } = useLoadOnShow(load);
  const policy = usePolicy();

  async function redeem(item: Goods): Promise<void> {
    const sure = await confirm({
      title: '确认兑换',
      content: `用 ${item.pricePoints} 积分兑换「${item.name}」？兑换后${policy ? ` ${policy.pickupDays} 天内` : '请尽快'}到社区领取。`,
      yes: '兑换',
    });
    if (!sure) return;
    const done = await attempt(() => api.redeem(item.id, 1), '兑换成功');
    if (done) Taro.redirectTo({ url: '/store/pages/redemptions/index' });
    else reload();
  }

  return (
    <PageFrame className="store" error={error}>
      {data && (
        <View className="card">
          <Row label="我的积分" valueClassName="store-balance">
            <Points value={data.wallet.balance} />
          </Row>
        </View>
      )}
      {data?.goods.length === 0 && (
        <EmptyState
          title="超市里暂时没有物品"
          hint="爱心商家捐赠的物品上架后会出现在这里。"
          next={{ label: '看我的积分', onClick: () => Taro.navigateTo({ url: '/store/pages/wallet/index' }) }}
        />
      )}
      {data?.goods.map((item) => {
        const left = item.monthlyLimit - (item.redeemedThisMonth ?? 0);
        const enough = data.wallet.balance >= item.pricePoints;
        return (
          <View key={item.id} className="card goods-item">
            {item.photoUrl && <Image className="goods-photo" src={item.photoUrl} mode="aspectFill" />}
            <Text className="order-card-title goods-name">{item.name}</Text>
            {item.description && <View className="muted">{item.description}</View>}
            {item.donor && <View className="muted">{`爱心捐赠：${item.donor}`}</View>}
            <View className="goods-price">{`${item.pricePoints} 积分`}</View>
            <View className="muted">{`库存 ${item.stock} 件 · 本月还可兑 ${Math.max(left, 0)} 件`}</View>
            <Button
              className={`btn ${enough && item.stock > 0 && left > 0 ? 'btn-primary' : 'btn-plain'} redeem-goods actions`}
              onClick={() => redeem(item)}
            >
              {item.stock === 0 ? '已兑完' : left <= 0 ? '本月已兑满' : enough ? '兑换' : '积分不够'}
            </Button>
          </View>
        );
      })}
    </PageFrame>
  );
}
