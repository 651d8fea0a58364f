import type { NeedView } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { EmptyState } from '../../../components/empty-state';
import { NeedTag } from '../../../components/tag';
import { api } from '../../../services/api';
import { confirm } from '../../../services/confirm';
import { attempt } from '../../../services/feedback';
import { formatTime } from '../../../services/format';

/** How many of the community's other needs are offered to merge into (the newest, review first). */
const SHOWN = 30;

/** 合并: the same thing reported twice; this need shares the outcome of the one chosen. */
export function MergeDecision({ need, onDone }: { need: NeedView; onDone: (need: NeedView) => void }) {
  const [others, setOthers] = useState<NeedView[] | null>(null);
  const [into, setInto] = useState<string | null>(null);
  useEffect(() => {
    api
      .communityNeeds(need.communityId)
      .then((all) => setOthers(all.filter((n) => n.id !== need.id).slice(0, SHOWN)))
      .catch(() => setOthers([]));
  }, [need.communityId, need.id]);

  async function merge(): Promise<void> {
    if (!into) return;
    const sure = await confirm({
      title: '合并求助',
      content: '合并后，这条求助跟着选中的那条一起处理，居民会收到通知。',
      yes: '合并',
    });
    if (!sure) return;
    const done = await attempt(
      () => api.reviewNeed(need.id, { decision: 'merge', intoNeedId: into }),
      '已合并',
    );
    if (done) onDone(done);
  }

  return (
    <View className="card decision-form merge-decision">
      <Text className="subtitle">和另一条求助合并</Text>
      <View className="muted">同一件事有人已经反映过时，选中那一条，一起处理。</View>
      {others?.length === 0 && <EmptyState title="社区没有别的求助可以合并" />}
      {others?.map((other) => (
        <View
          key={other.id}
          className={`merge-choice ${into === other.id ? 'merge-choice-on' : ''}`}
          onClick={() => setInto(other.id)}
        >
          <View className="need-tags">
            {into === other.id && <Text className="merge-chosen">✓ 已选</Text>}
            <NeedTag status={other.status} />
          </View>
          <Text className="need-body need-body-clamp">{other.body}</Text>
          <View className="muted">{`${other.residentName} · ${formatTime(other.createdAt)}`}</View>
        </View>
      ))}
      {into && (
        <Button className="btn btn-primary actions submit-merge" onClick={merge}>
          合并到选中的求助
        </Button>
      )}
    </View>
  );
}
