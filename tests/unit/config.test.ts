import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/src/config';

const SECRET = 'x'.repeat(32);
const KEY = '0f'.repeat(32);

describe('loadConfig', () => {
  it('offers demo login locally when WeChat is not configured', () => {
    expect(loadConfig({}).demoLogin).toBe(true);
  });

  it('never offers demo login in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, ID_NUMBER_KEY: KEY }).demoLogin).toBe(
      false,
    );
  });

  it('offers WeChat instead of demo login once credentials are set', () => {
    const config = loadConfig({ WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's' });
    expect(config.demoLogin).toBe(false);
    expect(config.wechat?.apiBase).toBe('https://api.weixin.qq.com');
  });

  it('refuses to start in production without a strong session secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET/);
  });

  it('refuses to start in production without a 32-byte key for ID numbers; a dev key otherwise', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET })).toThrow(/ID_NUMBER_KEY/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, ID_NUMBER_KEY: 'abcd' }),
    ).toThrow(/ID_NUMBER_KEY/);
    expect(
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, ID_NUMBER_KEY: KEY }).idNumberKey,
    ).toHaveLength(32);
    expect(loadConfig({ ID_NUMBER_KEY: Buffer.alloc(32, 1).toString('base64') }).idNumberKey).toEqual(
      Buffer.alloc(32, 1),
    );
    expect(loadConfig({}).idNumberKey).toHaveLength(32);
  });
});
