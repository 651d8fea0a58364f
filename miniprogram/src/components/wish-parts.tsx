import { ratingLabel, type WishView } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatTime } from '../services/format';
import { Photo, PhotoRow } from './photo';
import { Row } from './row';
import { Tag, WishTag } from './tag';
import './need-parts.css';

const call = (phoneNumber: string) => Taro.makePhoneCall({ phoneNumber }).catch(() => {});

/** 20 积分，邻里加了 5 分. */
function reward(wish: WishView): string {
  return wish.pool > 0 ? `${wish.points} 积分，邻里加了 ${wish.pool} 分` : `${wish.points} 积分`;
}

/** One wish on the 心愿墙: what, how many points, by when. */
export function WishCard({ wish, onClick }: { wish: WishView; onClick: () => void }) {
  return (
    <View className="card wish-card" data-wish-id={wish.id} onClick={onClick}>
      <View className="order-card-head">
        <Text className="order-card-title wish-title">{wish.title}</Text>
        <WishTag status={wish.status} />
      </View>
      {wish.mine && (
        <View className="need-tags">
          <Tag family="active" className="wish-mine">
            我认领的
          </Tag>
        </View>
      )}
      <View className="wish-points">{reward(wish)}</View>
      <View className="order-card-line">{`${formatTime(wish.deadline)} 前完成`}</View>
      <View className="order-card-line muted">{`${wish.residentName} · ${wish.communityName}`}</View>
      <View className="order-card-go">查看详情 ›</View>
    </View>
  );
}

/** A wish's facts; contact details and proof arrive only when this viewer may see them. */
export function WishFacts({ wish }: { wish: WishView }) {
  return (
    <View className="card wish-facts">
      <View className="order-card-head">
        <Text className="order-card-title wish-title">{wish.title}</Text>
        <WishTag status={wish.status} />
      </View>
      <Text className="need-body wish-description">{wish.description}</Text>
      <PhotoRow urls={wish.photos} className="wish-photos" />
      <Row label="奖励" value={reward(wish)} valueClassName="wish-reward" />
      <Row label="完成期限" value={`${formatTime(wish.deadline)} 前`} />
      <Row label="求助人" value={wish.residentName} valueClassName="wish-resident" />
      {wish.address && <Row label="地址" value={wish.address} stack valueClassName="wish-address" />}
      {wish.phone && (
        <Row
          label="电话"
          value={wish.phone}
          valueClassName="wish-phone"
          onClick={() => call(wish.phone ?? '')}
        />
      )}
      <Row label="所在社区" value={wish.communityName} />
      {wish.claimerName && (
        <Row label="认领的志愿者" value={wish.claimerName} valueClassName="wish-claimer" />
      )}
      {wish.pointsAwarded > 0 && (
        <Row label="已发给志愿者" value={`${wish.pointsAwarded} 积分`} valueClassName="wish-awarded" />
      )}
      {wish.rating !== null && <Row label="居民的评价" value={ratingLabel(wish.rating)} />}
    </View>
  );
}

/** What the volunteer sent as proof: a photo and a few words. */
export function WishProof({ wish }: { wish: WishView }) {
  if (!wish.proofPhotoUrl && !wish.proofNote) return null;
  return (
    <View className="card wish-proof">
      <Text className="subtitle">完成情况</Text>
      {wish.fulfilledAt && <View className="muted">{`${formatTime(wish.fulfilledAt)} 提交`}</View>}
      {wish.proofPhotoUrl && <Photo url={wish.proofPhotoUrl} className="photo-large wish-proof-photo" />}
      {wish.proofNote && <Text className="need-body wish-proof-note">{wish.proofNote}</Text>}
    </View>
  );
}
