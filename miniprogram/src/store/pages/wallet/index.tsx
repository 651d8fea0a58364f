import { Button, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { Amount } from '../../../components/amount';
import { LedgerList } from '../../../components/ledger-list';
import { PageFrame } from '../../../components/page-frame';
import { api } from '../../../services/api';
import { formatMinutes } from '../../../services/format';
import { useLoadOnShow } from '../../../services/use-load';

/** Balance, official service hours (志愿服务记录) and the history of points with reasons. */
export default function WalletPage() {
  const load = useCallback(() => api.wallet(), []);
  const { data: wallet, error } = useLoadOnShow(load);
  return (
    <PageFrame className="wallet" error={error}>
      {wallet && (
        <View>
          <Amount
            className="wallet-head"
            label="可用积分"
            value={wallet.balance}
            valueClassName="wallet-balance"
            lines={[
              `志愿服务 ${wallet.serviceCount} 次`,
              `服务时长共 ${formatMinutes(wallet.serviceMinutes)}`,
            ]}
          />
          <Button
            className="btn btn-primary"
            onClick={() => Taro.navigateTo({ url: '/store/pages/goods/index' })}
          >
            去积分超市
          </Button>
          <Button
            className="btn btn-secondary"
            onClick={() => Taro.navigateTo({ url: '/store/pages/redemptions/index' })}
          >
            我的兑换和取货码
          </Button>
          <View className="subtitle">积分明细</View>
          <LedgerList
            entries={wallet.entries}
            next={{
              label: '去任务大厅',
              onClick: () => Taro.navigateTo({ url: '/volunteer/pages/hall/index' }),
            }}
          />
        </View>
      )}
    </PageFrame>
  );
}
