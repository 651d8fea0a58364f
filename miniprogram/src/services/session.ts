import type { LoginResult, SessionClaims } from '@llb/shared';
import Taro from '@tarojs/taro';

const KEY = 'llb.session';

/** The signed-in session kept on the device; expired tokens count as signed out. */
export function loadSession(): LoginResult | null {
  // getStorageSync answers '' for a key never set.
  const saved = (Taro.getStorageSync(KEY) || null) as LoginResult | null;
  if (!saved?.token) return null;
  if (Date.parse(saved.expiresAt) <= Date.now()) return null;
  return saved;
}

export function saveSession(result: LoginResult): void {
  Taro.setStorageSync(KEY, result);
}

export function clearSession(): void {
  Taro.removeStorageSync(KEY);
}

/** Whether the person belongs somewhere yet: a new resident first chooses their community. */
export function isPlaced(session: SessionClaims): boolean {
  return session.roles.length > 0;
}
