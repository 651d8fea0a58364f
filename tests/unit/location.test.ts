import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('@tarojs/taro', () => ({ default: {} }));

const {
  browserPosition,
  failureMessage,
  GIVE_UP_MS,
  H5_TIMEOUT_MS,
  h5Failure,
  locateForPresence,
  locateServiceAddress,
  weappFailure,
  wgs84ToGcj02,
} = await import('../../miniprogram/src/services/location');

type Success = (p: { coords: { latitude: number; longitude: number; accuracy: number } }) => void;
type Failure = (e: { code: number; message: string }) => void;

/** A navigator.geolocation whose getCurrentPosition does what `behave` says. */
function fakeGeolocation(behave: (ok: Success, fail: Failure, options: PositionOptions) => void) {
  const getCurrentPosition = vi.fn(behave);
  return { getCurrentPosition } as unknown as Geolocation & { getCurrentPosition: typeof getCurrentPosition };
}

const here = { latitude: 31.2304, longitude: 121.4737 };

function stubBrowser(geolocation: Geolocation | undefined, secure = true): void {
  vi.stubGlobal('navigator', { geolocation });
  vi.stubGlobal('window', { isSecureContext: secure });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('h5 failures', () => {
  it('maps each GeolocationPositionError code', () => {
    expect(h5Failure(1)).toBe('denied');
    expect(h5Failure(2)).toBe('unavailable');
    expect(h5Failure(3)).toBe('timeout');
  });

  it('says what to do for a refusal, and that recording is optional', async () => {
    stubBrowser(fakeGeolocation((_ok, fail) => fail({ code: 1, message: 'User denied Geolocation' })));
    const found = await locateServiceAddress();
    expect(found).toEqual({ ok: false, message: expect.stringContaining('把“位置”改成允许') });
    expect(found.ok || found.message).toMatch(/位置可以不填/);
  });

  it('sends the volunteer to the 6 digits on every check-in failure', async () => {
    for (const code of [1, 2, 3]) {
      stubBrowser(fakeGeolocation((_ok, fail) => fail({ code, message: '' })));
      const found = await locateForPresence('check-in', 200);
      expect(found.ok).toBe(false);
      expect(found.ok || found.message).toMatch(/请用居民手机上的 6 位数字签到。$/);
    }
    stubBrowser(fakeGeolocation((_ok, fail) => fail({ code: 2, message: '' })));
    const out = await locateForPresence('check-out', 200);
    expect(out.ok || out.message).toMatch(/6 位数字签退。$/);
  });

  it('asks with a timeout and a maximum age', async () => {
    const geolocation = fakeGeolocation((ok) => ok({ coords: { ...here, accuracy: 20 } }));
    stubBrowser(geolocation);
    await locateForPresence('check-in', 200);
    expect(geolocation.getCurrentPosition.mock.calls[0]?.[2]).toMatchObject({
      timeout: H5_TIMEOUT_MS,
      maximumAge: expect.any(Number),
      enableHighAccuracy: true,
    });
  });

  it('refuses an insecure page and a browser without geolocation before asking', async () => {
    const geolocation = fakeGeolocation(() => {});
    expect(
      await browserPosition({ highAccuracy: true, maximumAgeMs: 0 }, { geolocation, secure: false }),
    ).toEqual({
      ok: false,
      failure: 'insecure',
    });
    expect(geolocation.getCurrentPosition).not.toHaveBeenCalled();
    expect(await browserPosition({ highAccuracy: true, maximumAgeMs: 0 }, { secure: true })).toEqual({
      ok: false,
      failure: 'unsupported',
    });
    stubBrowser(geolocation, false);
    const found = await locateForPresence('check-in', 200);
    expect(found.ok || found.message).toMatch(/https.*6 位数字签到/);
  });

  it('gives up when the browser never answers (an unanswered permission prompt)', async () => {
    vi.useFakeTimers();
    stubBrowser(fakeGeolocation(() => {}));
    const pending = locateForPresence('check-in', 200);
    await vi.advanceTimersByTimeAsync(GIVE_UP_MS);
    const found = await pending;
    expect(found.ok || found.message).toMatch(/^定位超时了.*请点“允许”.*6 位数字签到。$/);
  });

  it('does not send a reading less precise than the check-in radius', async () => {
    stubBrowser(fakeGeolocation((ok) => ok({ coords: { ...here, accuracy: 1500 } })));
    const found = await locateForPresence('check-in', 200);
    expect(found.ok || found.message).toMatch(/误差约 1500 米，比签到要求的 200 米还大.*6 位数字签到/);
    stubBrowser(fakeGeolocation((ok) => ok({ coords: { ...here, accuracy: 35 } })));
    expect((await locateForPresence('check-in', 200)).ok).toBe(true);
  });

  it('answers in GCJ-02, like WeChat', async () => {
    stubBrowser(fakeGeolocation((ok) => ok({ coords: { ...here, accuracy: 10 } })));
    const found = await locateServiceAddress();
    expect(found.ok && found.position).toMatchObject(wgs84ToGcj02(here.latitude, here.longitude));
  });
});

describe('weapp failures', () => {
  it.each([
    ['chooseLocation:fail cancel', undefined, 'cancelled'],
    ['getLocation:fail auth deny', undefined, 'wechat_denied'],
    ['getLocation:fail:auth denied', undefined, 'wechat_denied'],
    ['getLocation:fail system permission denied', undefined, 'system_off'],
    ['getLocation:fail:ERROR_NOCELL&WIFI_LOCATIONSWITCHOFF', undefined, 'system_off'],
    ['getLocation:fail privacy permission is not authorized', 104, 'privacy'],
    ['getLocation:fail api scope is not declared in the privacy agreement', 112, 'not_allowed'],
    [
      'getLocation:fail:the api need to be declared in the requiredPrivateInfos field in app.json',
      undefined,
      'not_allowed',
    ],
    ['timeout', undefined, 'timeout'],
    ['getLocation:fail', undefined, 'unavailable'],
  ] as const)('%s → %s', (errMsg, errno, failure) => {
    expect(weappFailure(errMsg, errno)).toBe(failure);
  });

  it('has a message for every failure, each saying what to do next', () => {
    const failures = [
      'unsupported',
      'insecure',
      'denied',
      'wechat_denied',
      'system_off',
      'unavailable',
      'timeout',
      'cancelled',
      'privacy',
      'not_allowed',
    ] as const;
    for (const failure of failures) {
      expect(failureMessage(failure, 'record')).toMatch(/位置可以不填，不影响预约。$/);
      expect(failureMessage(failure, 'check-in')).toMatch(/请用居民手机上的 6 位数字签到。$/);
    }
  });
});

describe('wgs84ToGcj02', () => {
  it('shifts a point in China by a few hundred metres, more than the check-in radius', () => {
    const shifted = wgs84ToGcj02(here.latitude, here.longitude);
    const metres = Math.hypot(
      (shifted.latitude - here.latitude) * 111_000,
      (shifted.longitude - here.longitude) * 111_000 * Math.cos((here.latitude * Math.PI) / 180),
    );
    expect(metres).toBeGreaterThan(300);
    expect(metres).toBeLessThan(800);
  });

  it('leaves a point outside China alone', () => {
    expect(wgs84ToGcj02(51.5, -0.12)).toEqual({ latitude: 51.5, longitude: -0.12 });
  });
});
