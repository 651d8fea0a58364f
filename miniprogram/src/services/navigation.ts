import Taro from '@tarojs/taro';
import { isPlaced, loadSession } from './session';

/** The tab pages of app.config.ts: only switchTab opens them, and without a query. */
export const TAB_PAGES = [
  '/pages/index/index',
  '/pages/orders/index',
  '/pages/inbox/index',
  '/pages/me/index',
];

const RETURN_KEY = 'llb.return';
const RETURN_MINUTES = 30;

/** Sends a visitor without a session to login, and a new resident to choose a community first. */
export function requireSignedIn(): boolean {
  const session = loadSession();
  if (!session) {
    Taro.reLaunch({ url: '/pages/login/index' });
    return false;
  }
  if (!isPlaced(session.session)) {
    Taro.reLaunch({ url: '/pages/home-community/index' });
    return false;
  }
  return true;
}

/** The page being shown, with its query, as a url navigateTo accepts. */
export function currentUrl(): string {
  const router = Taro.getCurrentInstance().router;
  const path = (router?.path ?? '').split('?')[0] ?? '';
  const query = Object.entries(router?.params ?? {})
    .filter(([key, value]) => !key.startsWith('$') && key !== 'stamp' && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
    .join('&');
  const url = path.startsWith('/') ? path : `/${path}`;
  return query ? `${url}?${query}` : url;
}

/** Opens any page of the app: a tab page by switchTab, any other by navigateTo (or reLaunch). */
export function openPage(url: string, relaunch = false): void {
  const path = url.split('?')[0] ?? url;
  if (TAB_PAGES.includes(path)) Taro.switchTab({ url: path });
  else if (relaunch) Taro.reLaunch({ url });
  else Taro.navigateTo({ url });
}

/** Login from a page opened by a link: remember the page, so signing in comes back to it. */
export function loginAndReturn(): void {
  Taro.setStorageSync(RETURN_KEY, { url: currentUrl(), at: Date.now() });
  Taro.reLaunch({ url: '/pages/login/index' });
}

function takeReturn(): string | null {
  const saved = (Taro.getStorageSync(RETURN_KEY) || null) as { url: string; at: number } | null;
  if (!saved) return null;
  Taro.removeStorageSync(RETURN_KEY);
  return Date.now() - saved.at < RETURN_MINUTES * 60_000 ? saved.url : null;
}

/** After signing in (or choosing a community): back to the page that asked for login, else 首页. */
export function goHome(): void {
  const session = loadSession();
  const back = session && isPlaced(session.session) ? takeReturn() : null;
  if (back) openPage(back, true);
  else Taro.switchTab({ url: '/pages/index/index' });
}

/** 首页 as a button: just home, whatever was remembered. */
export function openHome(): void {
  Taro.switchTab({ url: '/pages/index/index' });
}

/** ‹ 返回: the previous page, or 首页 when this page was opened directly (a link, a shared card). */
export function goBack(): void {
  if (Taro.getCurrentPages().length > 1) Taro.navigateBack();
  else openHome();
}
