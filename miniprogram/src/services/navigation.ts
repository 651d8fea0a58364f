import Taro from '@tarojs/taro';
import { isPlaced, loadSession } from './session';

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

export function goHome(): void {
  Taro.switchTab({ url: '/pages/index/index' });
}
