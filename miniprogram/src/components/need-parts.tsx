import { type NeedView, ORDER_STATUS_LABELS, SERVICE_CATEGORIES } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { formatTime } from '../services/format';
import { PhotoRow } from './photo';
import { Row } from './row';
import { CaseTag, NeedTag, Tag, UrgentTag } from './tag';
import './need-parts.css';

/** The steps of a need's timeline, in words (display only). */
export const NEED_EVENT_LABELS: Record<string, string> = {
  post: '提交求助',
  refuse: '没有通过内容检查',
  checked: '内容检查完成',
  withdraw: '居民撤回了求助',
  publish_wish: '社区发布为微心愿',
  make_order: '社区帮忙预约了服务',
  open_case: '社区受理，作为社区事务处理',
  merge: '和同样的求助合并处理',
  decline: '社区答复：不受理',
  merged_in: '有同样的求助合并进来',
  merged_publish_wish: '合并处理：发布为微心愿',
  merged_make_order: '合并处理：预约了服务',
  merged_open_case: '合并处理：作为社区事务',
  merged_merge: '合并处理',
  merged_decline: '合并处理：不受理',
  case_in_progress: '社区事务：处理中',
  case_closed: '社区事务：已办结',
  claim: '志愿者认领了心愿',
  release: '志愿者放弃了认领',
  fulfil: '志愿者完成了心愿',
  confirm: '居民确认心愿完成',
  donate: '邻里捐了积分',
  withdraw_wish: '社区撤销了心愿',
  claim_lapsed: '到期没有完成，心愿回到心愿墙',
};

export const VISIBILITY_LABELS: Record<NeedView['visibility'], string> = {
  neighbours: '邻居也能看到（不显示姓名和门牌）',
  staff: '只给社区工作人员看',
};

const CATEGORY_NAMES: Record<string, string> = {
  ...Object.fromEntries(SERVICE_CATEGORIES.map((c) => [c.code, c.name])),
  community_affairs: '社区事务',
};

/** 建议：智慧助老（把握 87%）, from the routing model's suggestion (staff only). */
export function suggestionText(suggestion: NonNullable<NeedView['suggestion']>): string {
  const name = CATEGORY_NAMES[suggestion.category] ?? suggestion.category;
  const main = `建议：${name}（把握 ${Math.round(suggestion.confidence * 100)}%）`;
  const second = suggestion.runnerUp ? CATEGORY_NAMES[suggestion.runnerUp] : null;
  return second ? `${main}，其次是${second}` : main;
}

/** The content check's verdict as staff read it (display only); nothing when it passed. */
const CONTENT_FLAGS: Record<string, string> = {
  review: '需人工复核',
  pending: '照片还在检查',
  risky: '内容有风险',
};

export function ContentFlag({ need }: { need: NeedView }) {
  const flag = need.contentCheck ? CONTENT_FLAGS[need.contentCheck] : undefined;
  if (!flag) return null;
  return (
    <Tag family="problem" className="content-flag">
      {flag}
    </Tag>
  );
}

/** One need in a list: its state, when, and the start of what was written. */
export function NeedCard({ need, onClick }: { need: NeedView; onClick: () => void }) {
  const staff = need.viewerKind === 'staff';
  return (
    <View className="card need-card" data-need-id={need.id} onClick={onClick}>
      <View className="need-tags">
        <NeedTag status={need.status} />
        {need.urgent && <UrgentTag />}
        {staff && <ContentFlag need={need} />}
      </View>
      <Text className="need-body need-body-clamp">{need.body}</Text>
      <View className="muted need-meta">
        {staff
          ? `${need.residentName}${need.postedByStaff ? '（社区代发）' : ''} · ${formatTime(need.createdAt)}`
          : formatTime(need.createdAt)}
      </View>
      {staff && need.suggestion && (
        <View className="muted need-suggestion">{suggestionText(need.suggestion)}</View>
      )}
      <View className="order-card-go">查看详情 ›</View>
    </View>
  );
}

/** What was asked, by whom, who may see it, and what became of it: the same for the resident and staff. */
export function NeedFacts({ need, orderPage }: { need: NeedView; orderPage: string }) {
  return (
    <View className="card need-facts">
      <View className="need-tags">
        <NeedTag status={need.status} />
        {need.urgent && <UrgentTag />}
      </View>
      <Text className="need-body need-body-full">{need.body}</Text>
      <PhotoRow urls={need.photos.map((p) => p.url)} className="need-photos" />
      <Row label="提交时间" value={formatTime(need.createdAt)} />
      <Row
        label="求助人"
        value={`${need.residentName}${need.postedByStaff ? '（社区代发）' : ''}`}
        valueClassName="need-resident"
      />
      <Row label="谁能看到" value={VISIBILITY_LABELS[need.visibility]} valueClassName="need-visibility" />
      {need.decisionNote && (
        <Row label="社区的答复" value={need.decisionNote} stack valueClassName="need-decision" />
      )}
      {need.case && (
        <Row label="社区事务" stack valueClassName="need-case">
          <CaseTag status={need.case.status} />
          {need.case.reply && <View className="need-case-reply">{need.case.reply}</View>}
        </Row>
      )}
      {need.orderId && (
        <Row
          label="预约的服务"
          className="need-order-link"
          value={
            need.orderStatus ? (ORDER_STATUS_LABELS as Record<string, string>)[need.orderStatus] : '查看'
          }
          onClick={() => Taro.navigateTo({ url: `${orderPage}?id=${need.orderId}` })}
        />
      )}
      {need.wishId && (
        <Row
          label="微心愿"
          className="need-wish-link"
          value="去心愿墙看看"
          onClick={() => Taro.navigateTo({ url: `/pages/wish/index?id=${need.wishId}` })}
        />
      )}
    </View>
  );
}
