import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback } from 'react';
import { LedgerList } from '../../../components/ledger-list';
import { api } from '../../../services/api';
import { formatMinutes } from '../../../services/format';
import { useLoadOnShow } from '../../../services/use-load';

/** Balance, official service hours (志愿服务记录) and the history of points with reasons. */
export default function WalletPage() {
  const load = useCallback(() => api.wallet(), []);
  const { data: wallet, error } = useLoadOnShow(load);
  return (
    <View className="page wallet">
      {error && <View className="error-text">{error}</View>}
      {wallet && (
        <View>
          <View className="card wallet-head">
            <Text className="muted">可用积分</Text>
            <Text className="big-number wallet-balance">{wallet.balance}</Text>
            <Text className="muted">{`志愿服务 ${wallet.serviceCount} 次，共 ${formatMinutes(wallet.serviceMinutes)}`}</Text>
          </View>
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
          <LedgerList entries={wallet.entries} />
        </View>
      )}
    </View>
  );
}
