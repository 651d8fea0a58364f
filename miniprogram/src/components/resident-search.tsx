import type { ResidentMatch } from '@llb/shared';
import { Button, Input, Text, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../services/api';
import { attempt } from '../services/feedback';
import { EmptyState } from './empty-state';
import { Row } from './row';

/** Staff find a resident who phoned (by name or the last digits of their phone), to act for them. */
export function ResidentSearch({
  communityId,
  onChoose,
}: {
  communityId: string;
  onChoose: (resident: ResidentMatch) => void;
}) {
  const [query, setQuery] = useState('');
  const [residents, setResidents] = useState<ResidentMatch[] | null>(null);

  async function search(): Promise<void> {
    const found = await attempt(() => api.findResidents(communityId, query));
    if (found) setResidents(found);
  }

  return (
    <View>
      <View className="card">
        <Text className="field-label">居民姓名或手机尾号</Text>
        <Input
          className="field resident-query"
          value={query}
          maxlength={40}
          onInput={(e) => setQuery(e.detail.value)}
        />
        <Button className="btn btn-primary actions find-resident" onClick={search}>
          查找居民
        </Button>
        {residents?.map((r) => (
          <Row
            key={r.id}
            className="resident-match"
            label={r.name}
            value={`${r.phone ?? ''} ${r.address ?? ''}`}
            onClick={() => onChoose(r)}
          />
        ))}
      </View>
      {residents?.length === 0 && (
        <EmptyState title="没有找到这位居民" hint="换个写法再找：姓名里的一个字，或手机号后 4 位。" />
      )}
    </View>
  );
}
