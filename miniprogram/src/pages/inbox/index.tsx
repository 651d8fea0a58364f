import type { Me, NotificationView } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro';
import { useRef, useState } from 'react';
import { EmptyState } from '../../components/empty-state';
import { PageFrame } from '../../components/page-frame';
import { ApiError, api } from '../../services/api';
import { attempt } from '../../services/feedback';
import { INBOX_PAGE_SIZE, openNotificationPage, showUnread } from '../../services/inbox';
import { requireSignedIn } from '../../services/navigation';
import { InboxItem } from './inbox-item';
import './index.css';

interface Shown {
  items: NotificationView[];
  unread: number;
  /** The last page came back full: there may be older ones. */
  more: boolean;
}

/** 消息: everything the app has told this person, newest first; each opens what it is about. */
export default function Inbox() {
  const [shown, setShown] = useState<Shown | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A read marked on the way out must land before the list is asked for again.
  const marking = useRef<Promise<unknown>>(Promise.resolve());

  function show(unread: number, items: NotificationView[], page: NotificationView[]): void {
    setShown({ items, unread, more: page.length >= INBOX_PAGE_SIZE });
    showUnread(unread);
  }

  async function loadNewest(): Promise<void> {
    if (!requireSignedIn()) return;
    await marking.current;
    try {
      const [inbox, who] = await Promise.all([api.inbox(), api.me()]);
      setMe(who);
      setError(null);
      show(inbox.unread, inbox.items, inbox.items);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '加载失败，请稍后再试');
    }
  }

  useDidShow(() => {
    void loadNewest();
  });
  usePullDownRefresh(() => {
    void loadNewest().finally(() => Taro.stopPullDownRefresh());
  });

  async function loadOlder(): Promise<void> {
    const last = shown?.items[shown.items.length - 1];
    if (!shown || !last) return;
    const page = await attempt(() => api.inbox(last.id));
    if (page) show(page.unread, [...shown.items, ...page.items], page.items);
  }

  function open(item: NotificationView): void {
    if (!item.read) {
      marking.current = api
        .markRead(item.id)
        .then((r) => showUnread(r.unread))
        .catch(() => {});
      setShown(
        (s) =>
          s && {
            ...s,
            unread: Math.max(0, s.unread - 1),
            items: s.items.map((i) => (i.id === item.id ? { ...i, read: true } : i)),
          },
      );
    }
    openNotificationPage(item.page);
  }

  async function markAll(): Promise<void> {
    const result = await attempt(() => api.markRead(), '全部已读');
    if (!result) return;
    setShown((s) => s && { ...s, unread: result.unread, items: s.items.map((i) => ({ ...i, read: true })) });
    showUnread(result.unread);
  }

  const isResident = me?.roles.some((r) => r.role === 'resident') ?? false;
  const isVolunteer = me?.roles.some((r) => r.role === 'volunteer') ?? false;
  return (
    <PageFrame className={`inbox ${me?.elderMode ? 'elder' : ''}`} nav={false} error={error}>
      {shown && shown.items.length > 0 && (
        <View className="inbox-summary">
          <Text className="inbox-count">{shown.unread > 0 ? `${shown.unread} 条未读` : '都已读过'}</Text>
          {shown.unread > 0 && (
            <Button className="btn btn-plain inbox-read-all" onClick={markAll}>
              全部已读
            </Button>
          )}
        </View>
      )}
      {shown?.items.length === 0 && (
        <EmptyState
          className="inbox-empty"
          title="还没有消息"
          hint="有人接单、志愿者到了、服务做完要评价时，都会在这里告诉您。"
          next={
            isResident
              ? { label: '去预约服务', onClick: () => Taro.navigateTo({ url: '/pages/menu/index' }) }
              : null
          }
          also={
            isVolunteer
              ? {
                  label: '去任务大厅看看',
                  onClick: () => Taro.navigateTo({ url: '/volunteer/pages/hall/index' }),
                }
              : null
          }
        />
      )}
      {shown?.items.map((item) => (
        <InboxItem key={item.id} item={item} onOpen={() => open(item)} />
      ))}
      {shown?.more && (
        <Button className="btn btn-plain inbox-older" onClick={loadOlder}>
          查看更早的消息
        </Button>
      )}
    </PageFrame>
  );
}
