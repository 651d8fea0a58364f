import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { PageFrame } from '../../../components/page-frame';
import { PeriodFilter } from '../../../components/period-filter';
import { RecordList } from '../../../components/record-list';
import { api } from '../../../services/api';
import { formatPeriod, type Period, thisYear } from '../../../services/period';
import { useLoadOnShow } from '../../../services/use-load';

/** 志愿服务记录: every confirmed service of a period, as the official record keeps it. */
export default function Records() {
  const [period, setPeriod] = useState<Period>(thisYear);
  const load = useCallback(() => api.myRecords(period), [period]);
  const { data: list, error } = useLoadOnShow(load);
  return (
    <PageFrame className="records" error={error}>
      <PeriodFilter value={period} onChange={setPeriod} />
      <View className="muted records-period">{formatPeriod(period.from, period.to)}</View>
      {list && (
        <RecordList
          list={list}
          empty={{
            label: '去任务大厅',
            onClick: () => Taro.navigateTo({ url: '/volunteer/pages/hall/index' }),
          }}
        />
      )}
    </PageFrame>
  );
}
