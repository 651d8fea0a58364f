import { type Goods, goodsInput, stockInput } from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { Points } from '../../../components/amount';
import { EmptyState } from '../../../components/empty-state';
import { PageFrame } from '../../../components/page-frame';
import { Row } from '../../../components/row';
import { GoodsTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt, routerParam } from '../../../services/feedback';
import { maxLength } from '../../../services/limits';
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

// Text limits are the schema's: a field stops where the server would refuse.
const LIMITS = {
  name: maxLength(goodsInput.shape.name),
  description: maxLength(goodsInput.shape.description),
  donor: maxLength(goodsInput.shape.donor),
};

/** An empty box is missing (请填写…), not zero. */
const wholeNumber = (text: string | undefined) => (!text || text.trim() === '' ? undefined : Number(text));

function problem(message: string | undefined): void {
  Taro.showToast({ title: message ?? '请检查填写的内容', icon: 'none', duration: 2500 });
}

/** Goods and stock: add an item, take in donations (入库), take an item off the shelf. */
/** Staff move goods on and off the shelf either way; the button names the other state. */
const SHELF_STEP: Record<Goods['status'], { to: Goods['status']; label: string }> = {
  active: { to: 'inactive', label: '下架' },
  inactive: { to: 'active', label: '重新上架' },
};

export default function StaffGoods() {
  const communityId = routerParam('communityId');
  const load = useCallback(() => api.communityGoods(communityId), [communityId]);
  const { data: goods, error, loading, reload } = useLoadOnShow(load);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [incoming, setIncoming] = useState<Record<string, string>>({});
  const field = (key: keyof Draft, className = '', number = false) => (
    <Input
      className={`field ${className}`}
      type={number ? 'number' : 'text'}
      maxlength={number ? 6 : (LIMITS[key as keyof typeof LIMITS] ?? 200)}
      value={draft[key]}
      onInput={(e) => setDraft({ ...draft, [key]: e.detail.value })}
    />
  );

  async function create(): Promise<void> {
    const parsed = goodsInput.safeParse({
      communityId,
      name: draft.name,
      description: draft.description,
      photoUrl: draft.photoUrl,
      donor: draft.donor,
      pricePoints: wholeNumber(draft.pricePoints),
      monthlyLimit: wholeNumber(draft.monthlyLimit),
    });
    if (!parsed.success) return problem(parsed.error.issues[0]?.message);
    if (await attempt(() => api.saveGoods(parsed.data), '已添加')) {
      setDraft(EMPTY);
      reload();
    }
  }

  async function receive(item: Goods): Promise<void> {
    // The schema says what is wrong: empty (请填写入库数量), negative or zero (至少 1 件), too many.
    const parsed = stockInput.safeParse({ quantity: wholeNumber(incoming[item.id]), note: '捐赠入库' });
    if (!parsed.success) return problem(parsed.error.issues[0]?.message);
    if (await attempt(() => api.addStock(item.id, parsed.data.quantity, parsed.data.note), '已入库')) {
      setIncoming((m) => ({ ...m, [item.id]: '' }));
      reload();
    }
  }

  async function toggle(item: Goods): Promise<void> {
    const next = SHELF_STEP[item.status].to;
    if (next === 'inactive') {
      const sure = await confirm({
        title: '下架物品',
        content: `下架后志愿者不能再兑换「${item.name}」，已兑换待领取的照常领取。`,
        yes: '下架',
      });
      if (!sure) return;
    }
    const input = { ...item, communityId, status: next } as const;
    if (await attempt(() => api.saveGoods(input), next === 'active' ? '已上架' : '已下架')) reload();
  }

  return (
    <PageFrame className="staff-goods" audience="staff" error={error}>
      {!loading && goods?.length === 0 && (
        <EmptyState title="超市里还没有物品" hint="在下面添加爱心商家捐赠的物品，再入库。" />
      )}
      {goods?.map((item) => (
        <View key={item.id} className="card staff-goods-item">
          <View className="order-card-head">
            <Text className="order-card-title">{item.name}</Text>
            <GoodsTag status={item.status} />
          </View>
          <Row label="兑换所需">
            <Points value={item.pricePoints} />
          </Row>
          <Row label="库存" value={`${item.stock} 件`} valueClassName="goods-stock" />
          <Row label="每人每月" value={`最多 ${item.monthlyLimit} 件`} />
          <Text className="field-label">捐赠入库数量（件）</Text>
          <Input
            className="field stock-input"
            type="number"
            maxlength={5}
            value={incoming[item.id] ?? ''}
            onInput={(e) => setIncoming((m) => ({ ...m, [item.id]: e.detail.value }))}
          />
          <Button className="btn btn-secondary actions receive-stock" onClick={() => receive(item)}>
            入库
          </Button>
          <Button className="btn btn-plain toggle-goods" onClick={() => toggle(item)}>
            {SHELF_STEP[item.status].label}
          </Button>
        </View>
      ))}
      <View className="subtitle">添加物品</View>
      <View className="card">
        <Text className="field-label">物品名称</Text>
        {field('name', 'goods-name-input')}
        <Text className="field-label">介绍（可不填）</Text>
        {field('description')}
        <Text className="field-label">图片网址（可不填）</Text>
        {field('photoUrl')}
        <Text className="field-label">爱心商家（捐赠方）</Text>
        {field('donor')}
        <Text className="field-label">兑换所需积分</Text>
        {field('pricePoints', 'goods-price-input', true)}
        <Text className="field-label">每人每月最多兑换（件）</Text>
        {field('monthlyLimit', 'goods-limit-input', true)}
        <Button className="btn btn-primary actions" onClick={create}>
          添加
        </Button>
      </View>
    </PageFrame>
  );
}
