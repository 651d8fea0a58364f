import { type Goods, goodsInput } from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { api } from '../../../services/api';
import { attempt, routerParam } from '../../../services/feedback';
import { useLoadOnShow } from '../../../services/use-load';

interface Draft {
  name: string;
  description: string;
  photoUrl: string;
  donor: string;
  pricePoints: string;
  monthlyLimit: string;
}

const EMPTY: Draft = {
  name: '',
  description: '',
  photoUrl: '',
  donor: '',
  pricePoints: '',
  monthlyLimit: '2',
};

/** Goods and stock: add an item, take in donations (入库), take an item off the shelf. */
export default function StaffGoods() {
  const communityId = routerParam('communityId');
  const load = useCallback(() => api.communityGoods(communityId), [communityId]);
  const { data: goods, error, reload } = useLoadOnShow(load);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [incoming, setIncoming] = useState<Record<string, string>>({});

  async function create(): Promise<void> {
    const parsed = goodsInput.safeParse({
      communityId,
      name: draft.name,
      description: draft.description,
      photoUrl: draft.photoUrl,
      donor: draft.donor,
      pricePoints: Number(draft.pricePoints),
      monthlyLimit: Number(draft.monthlyLimit),
    });
    if (!parsed.success) {
      Taro.showToast({ title: parsed.error.issues[0]?.message ?? '请检查填写的内容', icon: 'none' });
      return;
    }
    if (await attempt(() => api.saveGoods(parsed.data), '已添加')) {
      setDraft(EMPTY);
      reload();
    }
  }

  async function receive(item: Goods): Promise<void> {
    const quantity = Number(incoming[item.id] ?? 0);
    if (!(quantity > 0)) return;
    if (await attempt(() => api.addStock(item.id, quantity, '捐赠入库'), '已入库')) {
      setIncoming((m) => ({ ...m, [item.id]: '' }));
      reload();
    }
  }

  async function toggle(item: Goods): Promise<void> {
    const next = item.status === 'active' ? 'inactive' : 'active';
    const input = { ...item, communityId, status: next } as const;
    if (await attempt(() => api.saveGoods(input), next === 'active' ? '已上架' : '已下架')) reload();
  }

  return (
    <View className="page staff-goods">
      {error && <View className="error-text">{error}</View>}
      {goods?.map((item) => (
        <View key={item.id} className="card staff-goods-item">
          <View className="order-card-head">
            <Text className="order-card-title">{item.name}</Text>
            <Text className="status-tag">{item.status === 'active' ? '上架中' : '已下架'}</Text>
          </View>
          <Text className="muted">{`${item.pricePoints} 积分 · 库存 ${item.stock} · 每人每月 ${item.monthlyLimit} 件`}</Text>
          <Text className="field-label">捐赠入库数量</Text>
          <Input
            className="field stock-input"
            type="number"
            value={incoming[item.id] ?? ''}
            onInput={(e) => setIncoming((m) => ({ ...m, [item.id]: e.detail.value }))}
          />
          <Button className="btn btn-secondary actions" onClick={() => receive(item)}>
            入库
          </Button>
          <Button className="btn btn-plain" onClick={() => toggle(item)}>
            {item.status === 'active' ? '下架' : '重新上架'}
          </Button>
        </View>
      ))}
      <View className="subtitle">添加物品</View>
      <View className="card">
        <Text className="field-label">物品名称</Text>
        <Input
          className="field"
          value={draft.name}
          onInput={(e) => setDraft({ ...draft, name: e.detail.value })}
        />
        <Text className="field-label">介绍（可不填）</Text>
        <Input
          className="field"
          value={draft.description}
          onInput={(e) => setDraft({ ...draft, description: e.detail.value })}
        />
        <Text className="field-label">图片网址（可不填）</Text>
        <Input
          className="field"
          value={draft.photoUrl}
          onInput={(e) => setDraft({ ...draft, photoUrl: e.detail.value })}
        />
        <Text className="field-label">爱心商家（捐赠方）</Text>
        <Input
          className="field"
          value={draft.donor}
          onInput={(e) => setDraft({ ...draft, donor: e.detail.value })}
        />
        <Text className="field-label">兑换所需积分</Text>
        <Input
          className="field"
          type="number"
          value={draft.pricePoints}
          onInput={(e) => setDraft({ ...draft, pricePoints: e.detail.value })}
        />
        <Text className="field-label">每人每月最多兑换</Text>
        <Input
          className="field"
          type="number"
          value={draft.monthlyLimit}
          onInput={(e) => setDraft({ ...draft, monthlyLimit: e.detail.value })}
        />
        <Button className="btn btn-primary actions" onClick={create}>
          添加
        </Button>
      </View>
    </View>
  );
}
