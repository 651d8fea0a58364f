import Taro, { useDidShow } from '@tarojs/taro';
import { api } from './api';
import { openPage } from './navigation';
import { loadSession } from './session';

/** Where 消息 sits in the tab bar of app.config.ts: 首页, 我的订单, 消息, 我的. */
const INBOX_TAB = 2;

/** How many notifications one GET /api/inbox answers at most (public.list_inbox): a full page may have more behind it. */
export const INBOX_PAGE_SIZE = 50;

/** Puts the unread count on the 消息 tab, or takes it off at zero. */
export function showUnread(count: number): void {
  const done =
    count > 0
      ? Taro.setTabBarBadge({ index: INBOX_TAB, text: count > 99 ? '99+' : String(count) })
      : Taro.removeTabBarBadge({ index: INBOX_TAB });
  // Outside a tab page WeChat refuses; the next tab page shown tries again.
  Promise.resolve(done).catch(() => {});
}

/** Asks the server how many are unread and shows it; quietly does nothing when signed out or offline. */
export async function refreshUnread(): Promise<void> {
  if (!loadSession()) return;
  try {
    showUnread((await api.unread()).unread);
  } catch {
    // The badge is a hint; the inbox itself says the truth when opened.
  }
}

/** For every tab page: the 消息 badge is refreshed each time the page shows (also right after login, which lands on 首页). */
export function useUnreadBadge(): void {
  useDidShow(() => {
    void refreshUnread();
  });
}

/** Opens the page a notification is about: a tab page by switchTab, any other by navigateTo. */
export function openNotificationPage(page: string | null): void {
  if (page) openPage(page);
}
