import { type NeedView, postNeedInput, type UploadView } from '@llb/shared';
import { Button, Switch, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { api } from '../services/api';
import { attempt } from '../services/feedback';
import { maxLength } from '../services/limits';
import { usePolicy } from '../services/policy';
import { VISIBILITY_LABELS } from './need-parts';
import { PhotoPicker } from './photo';
import { Row } from './row';
import './need-form.css';

const BODY_MAX = maxLength(postNeedInput.shape.body, 500);
const EXAMPLE = '比如：家里厨房的水龙头一直滴水，关不紧，想请人来看看。我腿脚不好，白天都在家。';
const CHOICES: NeedView['visibility'][] = ['staff', 'neighbours'];

/** 我要求助: one simple form, the same for a resident and for staff posting for someone who phoned. */
export function NeedForm({
  residentId,
  onPosted,
}: {
  /** Staff only: who the need is for (代发). */
  residentId?: string;
  onPosted: (need: NeedView) => void;
}) {
  const policy = usePolicy();
  const [body, setBody] = useState('');
  const [photos, setPhotos] = useState<UploadView[]>([]);
  const [urgent, setUrgent] = useState(false);
  const [visibility, setVisibility] = useState<NeedView['visibility']>('staff');
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(): Promise<void> {
    const parsed = postNeedInput.safeParse({
      residentId: residentId ?? null,
      body,
      urgent,
      visibility,
      photoIds: photos.map((p) => p.id),
    });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    const need = await attempt(() => api.postNeed(parsed.data), '已发出');
    if (need) onPosted(need);
  }

  return (
    <View className="need-form">
      <View className="card">
        <Text className="field-label need-form-label">
          {residentId ? '居民需要什么帮助？' : '您需要什么帮助？'}
        </Text>
        <Textarea
          className="field field-area need-text"
          placeholder={EXAMPLE}
          value={body}
          maxlength={BODY_MAX}
          onInput={(e) => setBody(e.detail.value)}
        />
        <View className="muted need-count">{`${body.length} / ${BODY_MAX} 字`}</View>
        {policy && (
          <View>
            <Text className="field-label">{`拍张照片，社区看得更清楚（可不拍，最多 ${policy.needPhotosMax} 张）`}</Text>
            <PhotoPicker
              photos={photos}
              onChange={setPhotos}
              max={policy.needPhotosMax}
              purpose="need_photo"
            />
          </View>
        )}
      </View>
      <View className="card">
        <Row label="很急，今天就要人帮忙" className="need-urgent-row">
          <Switch
            className="need-urgent"
            checked={urgent}
            color="#b9400c"
            onChange={(e) => setUrgent(e.detail.value)}
          />
        </Row>
        <Text className="field-label">谁能看到这条求助？</Text>
        {CHOICES.map((choice) => (
          <Text
            key={choice}
            className={`chip need-choice need-visibility-${choice} ${visibility === choice ? 'chip-on' : ''}`}
            onClick={() => setVisibility(choice)}
          >
            {VISIBILITY_LABELS[choice]}
          </Text>
        ))}
        <View className="muted">您的姓名、电话和门牌不会给邻居看，只给社区和来帮忙的志愿者。</View>
      </View>
      {problem && <View className="error-text need-problem">{problem}</View>}
      <Button className="btn btn-primary submit-need" onClick={submit}>
        发出求助
      </Button>
    </View>
  );
}
