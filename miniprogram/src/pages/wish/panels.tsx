import {
  confirmWishInput,
  donateInput,
  fulfilWishInput,
  RATINGS,
  type UploadView,
  type WishView,
} from '@llb/shared';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { PhotoPicker } from '../../components/photo';
import { api } from '../../services/api';
import { attempt } from '../../services/feedback';
import { maxLength } from '../../services/limits';
import { usePolicy } from '../../services/policy';

type Done = (wish: WishView) => void;

/** 完成心愿: a photo of what was done and a few words; the resident then confirms. */
export function FulfilPanel({ wish, onDone }: { wish: WishView; onDone: Done }) {
  const [photos, setPhotos] = useState<UploadView[]>([]);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(): Promise<void> {
    const parsed = fulfilWishInput.safeParse({ photoId: photos[0]?.id, note });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setProblem(null);
    const done = await attempt(
      () => api.fulfilWish(wish.id, parsed.data.photoId, parsed.data.note),
      '已提交，等居民确认',
    );
    if (done) onDone(done);
  }
  return (
    <View className="card fulfil-panel">
      <Text className="subtitle">心愿完成了吗？</Text>
      <Text className="field-label">拍一张照片作为凭证</Text>
      <PhotoPicker photos={photos} onChange={setPhotos} max={1} purpose="wish_proof" addLabel="拍照片" />
      <Text className="field-label">说说是怎么完成的</Text>
      <Textarea
        className="field field-area fulfil-note"
        placeholder="比如：已经帮阿姨换好了灯泡，试过能亮。"
        value={note}
        maxlength={maxLength(fulfilWishInput.shape.note, 300)}
        onInput={(e) => setNote(e.detail.value)}
      />
      {problem && <View className="error-text fulfil-problem">{problem}</View>}
      <Button className="btn btn-primary actions submit-fulfil" onClick={submit}>
        提交完成情况
      </Button>
    </View>
  );
}

/** 确认完成 with 很好 / 好 / 一般 and a comment: the points go to the volunteer now. */
export function ConfirmPanel({ wish, onDone }: { wish: WishView; onDone: Done }) {
  const [rating, setRating] = useState<1 | 2 | 3 | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(): Promise<void> {
    const parsed = confirmWishInput.safeParse({ rating, comment });
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? '请先选很好、好或一般');
      return;
    }
    setProblem(null);
    const done = await attempt(
      () => api.confirmWish(wish.id, parsed.data.rating, parsed.data.comment),
      '谢谢您的评价',
    );
    if (done) onDone(done);
  }
  return (
    <View className="card rate confirm-panel">
      <Text className="subtitle">心愿完成得怎么样？</Text>
      <View className="rate-choices">
        {RATINGS.map((r) => (
          <Button
            key={r.value}
            className={`btn rate-choice wish-rate ${rating === r.value ? 'btn-primary' : 'btn-plain'}`}
            onClick={() => setRating(r.value)}
          >
            {r.label}
          </Button>
        ))}
      </View>
      <Textarea
        className="field field-area wish-comment"
        placeholder="还想说点什么（可不填）"
        value={comment}
        maxlength={maxLength(confirmWishInput.shape.comment, 300)}
        onInput={(e) => setComment(e.detail.value)}
      />
      {problem && <View className="error-text confirm-problem">{problem}</View>}
      <Button className="btn btn-primary actions submit-confirm" onClick={submit}>
        确认完成
      </Button>
      <View className="muted">确认后，心愿的积分会发给认领的志愿者。</View>
    </View>
  );
}

/** 积分捐赠: a neighbour adds some of their own points to the wish (given back if it is withdrawn). */
export function DonatePanel({ wish, onDone }: { wish: WishView; onDone: Done }) {
  const policy = usePolicy();
  const [amount, setAmount] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  async function submit(): Promise<void> {
    const parsed = donateInput.safeParse({ amount: Number(amount) });
    if (!amount || !parsed.success) {
      setProblem(
        parsed.success ? '请填写要捐的积分' : (parsed.error.issues[0]?.message ?? '请填写要捐的积分'),
      );
      return;
    }
    setProblem(null);
    const done = await attempt(() => api.donateToWish(wish.id, parsed.data.amount), '谢谢您的心意');
    if (done) {
      setAmount('');
      onDone(done);
    }
  }
  return (
    <View className="card donate-panel">
      <Text className="subtitle">给这个心愿加积分</Text>
      <View className="muted">
        {`从您的积分里拿出一些，完成后和心愿的积分一起给帮忙的志愿者；心愿撤销会退还给您。${policy ? `一次最多 ${policy.wishDonationMax} 分。` : ''}`}
      </View>
      <Input
        className="field donate-amount"
        type="number"
        placeholder="捐多少积分"
        value={amount}
        maxlength={6}
        onInput={(e) => setAmount(e.detail.value)}
      />
      {problem && <View className="error-text donate-problem">{problem}</View>}
      <Button className="btn btn-secondary actions submit-donate" onClick={submit}>
        捐积分
      </Button>
    </View>
  );
}
