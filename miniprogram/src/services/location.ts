import Taro from '@tarojs/taro';

// One place for "where am I": every call ends in a position or a Chinese message that says
// what to do, never in silence.
//
// weapp (WeChat's rules, see ../shared/PLATFORM-NOTES.md):
// - Recording the service address uses chooseLocation: the resident confirms the spot on a map.
//   It needs no scope.userLocation authorisation, only the requiredPrivateInfos declaration and
//   the self-service switch in the admin console (开发管理 → 接口设置).
// - Check-in must be precise to the policy radius (200 m). getFuzzyLocation is blurred to about
//   district level, so it can't prove presence; check-in keeps getLocation, which WeChat opens
//   only after category review. Until it is approved the call fails and the volunteer is told to
//   use the 6 digits. (getFuzzyLocation can't be declared together with getLocation anyway.)
// h5: navigator.geolocation with a timeout, converted to GCJ-02 like WeChat's coordinates, so a
// spot recorded in one build and a check-in from the other are compared in the same datum.

export interface Position {
  latitude: number;
  longitude: number;
  /** Metres, when known. */
  accuracy?: number;
}

export type Located = { ok: true; position: Position; name?: string } | { ok: false; message: string };

export type Failure =
  | 'unsupported'
  | 'insecure'
  | 'denied'
  | 'wechat_denied'
  | 'system_off'
  | 'unavailable'
  | 'timeout'
  | 'cancelled'
  | 'privacy'
  | 'not_allowed'
  | 'imprecise';

/** What the location is for: recording the service address, or proving presence. */
export type Purpose = 'record' | 'check-in' | 'check-out';

/** How long the browser may look (it does not count the time the permission prompt waits). */
export const H5_TIMEOUT_MS = 8_000;
/** After this, give up even if the browser never answers (an unanswered permission prompt). */
export const GIVE_UP_MS = 15_000;

const WHAT: Record<Exclude<Failure, 'imprecise'>, string> = {
  unsupported: '这个浏览器不能定位。',
  insecure: '这个网页不是安全连接，浏览器不让它定位：请用 https 开头的网址打开。',
  denied: '您没有允许这个网页使用位置：请点地址栏左边的图标，把“位置”改成允许，再点一次。',
  wechat_denied: '您没有允许邻里帮使用位置：请点右上角“···”→“设置”，打开“位置信息”，再点一次。',
  system_off: '手机的定位服务没有打开：请在手机“设置”里打开定位，并允许微信使用位置，再点一次。',
  unavailable: '现在定不到位置：请打开手机的定位服务（GPS），到窗边或室外再试一次。',
  timeout:
    '定位超时了：如果屏幕上在问是否允许使用位置，请点“允许”；也可以打开手机的定位服务，到窗边再试一次。',
  cancelled: '您没有选地点。',
  privacy: '您还没有同意邻里帮的隐私保护指引，同意后才能用位置。',
  not_allowed: '这个版本的邻里帮暂时不能定位（微信还没有开通定位）。',
};

/** The message for a failure, ending in what to do instead. */
export function failureMessage(
  failure: Failure,
  purpose: Purpose,
  detail: { accuracyM?: number; radiusM?: number } = {},
): string {
  const what =
    failure === 'imprecise'
      ? `定位误差约 ${Math.round(detail.accuracyM ?? 0)} 米，比签到要求的 ${detail.radiusM ?? 0} 米还大，不够准：请到窗边或室外再试一次。`
      : WHAT[failure];
  if (purpose === 'record') return `${what}位置可以不填，不影响预约。`;
  return `${what}请用居民手机上的 6 位数字${purpose === 'check-in' ? '签到' : '签退'}。`;
}

/** A W3C GeolocationPositionError code → the failure it means. */
export function h5Failure(code: number): Failure {
  if (code === 1) return 'denied'; // PERMISSION_DENIED (also what Chrome answers on http://)
  if (code === 3) return 'timeout'; // TIMEOUT
  return 'unavailable'; // POSITION_UNAVAILABLE, or anything else
}

/** WeChat's errMsg (and errno, when given) of a failed location call → the failure it means. */
export function weappFailure(errMsg: string, errno?: number): Failure {
  const msg = errMsg.toLowerCase();
  if (errno === 104 || msg.includes('privacy permission is not authorized')) return 'privacy';
  if (
    errno === 112 ||
    msg.includes('not declared') ||
    msg.includes('requiredprivateinfos') ||
    msg.includes('no permission') ||
    msg.includes('not opened')
  )
    return 'not_allowed';
  if (msg.includes('cancel')) return 'cancelled';
  if (
    msg.includes('system permission') ||
    msg.includes('locationswitchoff') ||
    msg.includes('location switch')
  )
    return 'system_off';
  if (msg.includes('auth deny') || msg.includes('auth denied') || msg.includes('authorize'))
    return 'wechat_denied';
  if (msg.includes('timeout') || msg.includes('time out')) return 'timeout';
  return 'unavailable';
}

// WGS-84 → GCJ-02 (the datum WeChat's chooseLocation and getLocation({ type: 'gcj02' }) answer in);
// the public formula, identity outside mainland China.
const A = 6378245.0;
const EE = 0.006693421622965943;

function outsideChina(lat: number, lng: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

export function wgs84ToGcj02(latitude: number, longitude: number): { latitude: number; longitude: number } {
  if (outsideChina(latitude, longitude)) return { latitude, longitude };
  const radLat = (latitude / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat =
    (shiftLat(longitude - 105, latitude - 35) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng =
    (shiftLng(longitude - 105, latitude - 35) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { latitude: latitude + dLat, longitude: longitude + dLng };
}

type Outcome = { ok: true; position: Position; name?: string } | { ok: false; failure: Failure };

/** The browser's position, or why not; settles within GIVE_UP_MS whatever the browser does. */
export function browserPosition(
  options: { highAccuracy: boolean; maximumAgeMs: number },
  env: { geolocation?: Geolocation; secure?: boolean } = {
    geolocation: typeof navigator === 'undefined' ? undefined : navigator.geolocation,
    secure: typeof window === 'undefined' ? true : window.isSecureContext,
  },
): Promise<Outcome> {
  if (env.secure === false) return Promise.resolve({ ok: false, failure: 'insecure' });
  const geolocation = env.geolocation;
  if (!geolocation || typeof geolocation.getCurrentPosition !== 'function') {
    return Promise.resolve({ ok: false, failure: 'unsupported' });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      resolve(outcome);
    };
    const guard = setTimeout(() => finish({ ok: false, failure: 'timeout' }), GIVE_UP_MS);
    try {
      geolocation.getCurrentPosition(
        (found) => {
          const { latitude, longitude } = wgs84ToGcj02(found.coords.latitude, found.coords.longitude);
          finish({ ok: true, position: { latitude, longitude, accuracy: found.coords.accuracy } });
        },
        (error) => finish({ ok: false, failure: h5Failure(error.code) }),
        {
          enableHighAccuracy: options.highAccuracy,
          timeout: H5_TIMEOUT_MS,
          maximumAge: options.maximumAgeMs,
        },
      );
    } catch {
      finish({ ok: false, failure: 'unavailable' });
    }
  });
}

function failureOf(error: unknown): Failure {
  const e = error as { errMsg?: unknown; errno?: unknown; message?: unknown } | null;
  const msg = typeof e?.errMsg === 'string' ? e.errMsg : typeof e?.message === 'string' ? e.message : '';
  return weappFailure(msg, typeof e?.errno === 'number' ? e.errno : undefined);
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject({ errMsg: 'timeout' }), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The resident records where the service happens (used later for location check-in). */
export async function locateServiceAddress(): Promise<Located> {
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const picked = await Taro.chooseLocation({});
      return {
        ok: true,
        position: { latitude: picked.latitude, longitude: picked.longitude },
        name: picked.name || picked.address || undefined,
      };
    } catch (error) {
      return { ok: false, message: failureMessage(failureOf(error), 'record') };
    }
  }
  const found = await browserPosition({ highAccuracy: true, maximumAgeMs: 60_000 });
  return found.ok ? found : { ok: false, message: failureMessage(found.failure, 'record') };
}

/** The volunteer's position for check-in or check-out, precise to the policy radius, or why not. */
export async function locateForPresence(
  purpose: 'check-in' | 'check-out',
  radiusM: number,
): Promise<Located> {
  let found: Outcome;
  if (process.env.TARO_ENV === 'weapp') {
    try {
      const here = await withTimeout(
        Taro.getLocation({ type: 'gcj02', isHighAccuracy: true, highAccuracyExpireTime: 5_000 }),
        GIVE_UP_MS,
      );
      found = {
        ok: true,
        position: { latitude: here.latitude, longitude: here.longitude, accuracy: here.accuracy },
      };
    } catch (error) {
      found = { ok: false, failure: failureOf(error) };
    }
  } else {
    found = await browserPosition({ highAccuracy: true, maximumAgeMs: 30_000 });
  }
  if (!found.ok) return { ok: false, message: failureMessage(found.failure, purpose) };
  // A reading less precise than the radius would prove nothing and could count as a failed try.
  const accuracy = found.position.accuracy;
  if (accuracy !== undefined && accuracy > radiusM) {
    return { ok: false, message: failureMessage('imprecise', purpose, { accuracyM: accuracy, radiusM }) };
  }
  return found;
}
