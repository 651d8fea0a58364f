import Taro from '@tarojs/taro';

// WeChat's user privacy guide (用户隐私保护指引): the first time a page calls an API
// that touches personal data (location, phone number), WeChat holds the call and
// asks us to show our own popup; the call goes on once the person taps an
// agreePrivacyAuthorization button. The browser build has no such step.

type Resolve = (option: { event: 'exposureAuthorization' | 'agree' | 'disagree'; buttonId?: string }) => void;

/** The id of the agree button: WeChat checks that this very button was tapped. */
export const AGREE_BUTTON_ID = 'agree-privacy';

let pending: Resolve | null = null;
const listeners = new Set<(asking: boolean) => void>();

function notify(asking: boolean): void {
  for (const listener of listeners) listener(asking);
}

/** Registers the one app-wide listener (weapp only); call once at launch. */
export function listenForPrivacyRequests(): void {
  if (process.env.TARO_ENV !== 'weapp' || typeof Taro.onNeedPrivacyAuthorization !== 'function') return;
  Taro.onNeedPrivacyAuthorization((resolve) => {
    pending = resolve;
    resolve({ event: 'exposureAuthorization' });
    // A page without the popup (a subpackage page, say) sends the person to the policy page, which asks there.
    if (listeners.size === 0) Taro.navigateTo({ url: '/pages/privacy/index?ask=1' });
    else notify(true);
  });
}

/** Subscribes a popup to privacy requests; returns the unsubscribe function. */
export function onPrivacyRequest(listener: (asking: boolean) => void): () => void {
  listeners.add(listener);
  if (pending) listener(true);
  return () => {
    listeners.delete(listener);
  };
}

/** The person tapped the agree button (its bindagreeprivacyauthorization event). */
export function agreePrivacy(): void {
  pending?.({ event: 'agree', buttonId: AGREE_BUTTON_ID });
  pending = null;
  notify(false);
}

/** The person declined: the held API call fails, and we ask again next time. */
export function declinePrivacy(): void {
  pending?.({ event: 'disagree' });
  pending = null;
  notify(false);
}

/** WeChat's own page of the guide configured in the admin console (weapp), else ours. */
export function openPrivacyContract(): void {
  if (process.env.TARO_ENV === 'weapp' && typeof Taro.openPrivacyContract === 'function') {
    Taro.openPrivacyContract({ fail: () => Taro.navigateTo({ url: '/pages/privacy/index' }) });
    return;
  }
  Taro.navigateTo({ url: '/pages/privacy/index' });
}
