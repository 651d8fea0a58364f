import type { VolunteerSummary } from '@llb/shared';
import { Button, Picker, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { Row } from '../../../components/row';
import { Tag } from '../../../components/tag';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt } from '../../../services/feedback';
import { formatMinutes, inShanghai } from '../../../services/format';
import { formatDay, formatMonth, today } from '../../../services/period';
import { usePolicy } from '../../../services/policy';

/** 休息中: until when, and 休息 / 恢复接单 as the server allows them now. */
export function Resting({ summary, onChanged }: { summary: VolunteerSummary; onChanged: () => void }) {
  const [asking, setAsking] = useState(false);
  const [until, setUntil] = useState(() => inShanghai().add(7, 'day').format('YYYY-MM-DD'));
  const canPause = summary.actions.includes('pause');
  const canResume = summary.actions.includes('resume');
  if (!summary.pausedUntil && !canPause && !canResume) return null;

  async function pause(): Promise<void> {
    const sure = await confirm({
      title: '休息一段时间',
      content: `到 ${formatDay(until)} 为止，社区不会给您派单，第二天起自动恢复。已经接下的任务请照常完成。`,
      yes: '开始休息',
    });
    if (!sure) return;
    if (await attempt(() => api.pauseVolunteer(until), '已开始休息')) {
      setAsking(false);
      onChanged();
    }
  }

  async function resume(): Promise<void> {
    if (await attempt(() => api.pauseVolunteer(null), '已恢复接单')) onChanged();
  }

  return (
    <View className="card resting">
      {summary.pausedUntil ? (
        <View>
          <Row label="接单状态">
            <Tag family="waiting" className="resting-tag">
              休息中
            </Tag>
          </Row>
          <View className="resting-until">
            {`休息到 ${formatDay(summary.pausedUntil)}，这之前社区不会给您派单。任务大厅里的任务仍然可以自己接。`}
          </View>
        </View>
      ) : (
        <View className="muted">想歇几天？选好休息到哪天，这期间社区不会给您派单。</View>
      )}
      {canResume && (
        <Button className="btn btn-primary actions resume" onClick={resume}>
          恢复接单
        </Button>
      )}
      {canPause && !asking && (
        <Button className="btn btn-secondary actions pause" onClick={() => setAsking(true)}>
          {summary.pausedUntil ? '改休息日期' : '休息一段时间'}
        </Button>
      )}
      {canPause && asking && (
        <View className="pause-form">
          <Picker
            mode="date"
            value={until}
            start={today()}
            onChange={(e) => setUntil(String(e.detail.value))}
          >
            <Row label="休息到哪天" valueClassName="pause-until" value={`${formatDay(until)} ›`} />
          </Picker>
          <Button className="btn btn-primary actions pause-submit" onClick={pause}>
            休息到这一天
          </Button>
          <Button className="btn btn-plain" onClick={() => setAsking(false)}>
            算了
          </Button>
        </View>
      )}
    </View>
  );
}

/** Hours and points of the last twelve months that had any, newest first, each with a bar against the busiest. */
export function MonthBars({ months }: { months: VolunteerSummary['months'] }) {
  const active = months.filter((m) => m.services > 0 || m.points !== 0);
  const most = Math.max(1, ...active.map((m) => m.minutes));
  return (
    <View>
      <View className="subtitle">近一年每月服务</View>
      <View className="card months">
        {active.length === 0 && (
          <Text className="muted months-none">近一年还没有服务。完成服务、居民确认后，会按月记在这里。</Text>
        )}
        {active.map((m) => (
          <View key={m.month} className="month">
            <View className="month-head">
              <Text className="month-name">{formatMonth(m.month)}</Text>
              <Text className="month-facts">{`${m.services} 次 · ${formatMinutes(m.minutes)} · ${m.points} 积分`}</Text>
            </View>
            <View className="month-bar">
              <View className="month-fill" style={{ width: `${Math.round((m.minutes / most) * 100)}%` }} />
            </View>
          </View>
        ))}
      </View>
    </View>
  );
}

/** 居民评价: totals of settled batches only, so nobody can tell who gave which rating. */
export function Ratings({ ratings }: { ratings: VolunteerSummary['ratings'] }) {
  const policy = usePolicy();
  return (
    <View>
      <View className="subtitle">居民评价</View>
      <View className="card ratings">
        {ratings ? (
          <View>
            <Row label="已结算评价" value={`${ratings.rated} 条`} />
            <Row
              label="评价"
              valueClassName="summary-ratings"
              value={`很好 ${ratings.veryGood} · 好 ${ratings.good} · 一般 ${ratings.fair}`}
            />
            {ratings.tags.length > 0 && (
              <View className="summary-tags">
                {ratings.tags.map((t) => (
                  <Text key={t.tag} className="chip">{`${t.tag} ${t.count}`}</Text>
                ))}
              </View>
            )}
          </View>
        ) : (
          <View className="ratings-hidden">
            {policy ? `评价满 ${policy.ratingMinShown} 条后显示。` : '评价攒够几条后显示。'}
          </View>
        )}
        {policy && (
          <View className="muted ratings-batches">
            {`评价分批结算，每满 ${policy.ratingBatchSize} 条结算一次，只显示汇总，看不出是谁评的，居民可以放心评价。`}
          </View>
        )}
      </View>
    </View>
  );
}
