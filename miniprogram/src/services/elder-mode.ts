import { PageMeta } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { createElement, useEffect, useState } from 'react';

/**
 * 长辈模式 on every page, from one place.
 *
 * The sizes live in app.css as custom properties (--fs-*, --tap*, …) that depend on --elder
 * (0 or 1) and --font-scale (WeChat's own font-size setting). This service decides both:
 * - the person's choice is `me.elderMode`; every answer of GET /api/me and PUT
 *   /api/me/preferences passes a request interceptor (installElderMode, from app.ts), so no page
 *   has to report it; the last value is kept on the device, so a restart paints big type at once;
 * - h5: the class `elder` on <body> switches every page, the tab bar, pickers and dialogs;
 * - weapp: a page can't be reached from app.ts, so each page renders <ElderPageMeta /> (the page
 *   frame does it), which sets `--elder` and `--font-scale` on `page` through page-meta's
 *   page-style, and root-font-size="system" so rem follows WeChat's font size too. The page's
 *   config needs `enablePageMeta: true` for Taro to emit <page-meta>.
 */

const KEY = 'llb.elder';
const listeners = new Set<(on: boolean) => void>();
let elder = readStored();
let installed = false;

function readStored(): boolean {
  try {
    return Taro.getStorageSync(KEY) === true;
  } catch {
    return false;
  }
}

function applyToDocument(): void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
  document.body.classList.toggle('elder', elder);
}

export function isElderMode(): boolean {
  return elder;
}

/** Records the person's choice (from /api/me or the switch on 我的) and applies it everywhere. */
export function setElderMode(on: boolean): void {
  const changed = on !== elder;
  elder = on;
  if (changed) {
    try {
      Taro.setStorageSync(KEY, on);
    } catch {
      // Storage full or unavailable: the mode still applies for this run.
    }
  }
  applyToDocument();
  if (changed) for (const listener of listeners) listener(on);
}

/** WeChat's 字体大小 setting as a factor (1 = standard); 1 outside weapp, where browser zoom does it. */
export function fontScale(): number {
  if (process.env.TARO_ENV !== 'weapp') return 1;
  try {
    // fontSizeScaleFactor is newer than Taro's typings (base library 2.23.4+).
    const info = Taro.getAppBaseInfo?.() as { fontSizeScaleFactor?: number } | undefined;
    const factor = Number(info?.fontSizeScaleFactor);
    // Clamp: a huge factor would push labels past the screen's width.
    return Number.isFinite(factor) && factor > 0 ? Math.min(Math.max(factor, 1), 1.6) : 1;
  } catch {
    return 1;
  }
}

interface RequestParams {
  url?: string;
  method?: string;
}
interface RequestResult {
  statusCode?: number;
  data?: unknown;
}

function observe(params: RequestParams, result: RequestResult): void {
  if (result?.statusCode !== 200) return;
  const path = String(params.url ?? '')
    .replace(/^.*?\/api\//, '/api/')
    .split('?')[0];
  const method = (params.method ?? 'GET').toUpperCase();
  const isMe = path === '/api/me' && method === 'GET';
  const isPreference = path === '/api/me/preferences' && method === 'PUT';
  if (!isMe && !isPreference) return;
  const value = (result.data as { elderMode?: unknown } | null)?.elderMode;
  if (typeof value === 'boolean') setElderMode(value);
}

/** Called once from app.ts: applies the remembered mode and follows every answer about `me`. */
export function installElderMode(): void {
  applyToDocument();
  if (installed) return;
  installed = true;
  Taro.addInterceptor(
    (chain: { requestParams: RequestParams; proceed: (p: RequestParams) => Promise<RequestResult> }) => {
      const params = chain.requestParams;
      return chain.proceed(params).then((result) => {
        try {
          observe(params, result);
        } catch {
          // Never let the mode break a request.
        }
        return result;
      });
    },
  );
}

/** The current mode, re-rendering when it changes (for a page that draws something else in 长辈模式). */
export function useElderMode(): boolean {
  const [on, setOn] = useState(elder);
  useEffect(() => {
    setOn(elder);
    listeners.add(setOn);
    return () => {
      listeners.delete(setOn);
    };
  }, []);
  return on;
}

/** page-meta's page-style: the mode and WeChat's font scale as custom properties on `page`. */
export function elderPageStyle(on: boolean = elder): string {
  return `--elder: ${on ? 1 : 0}; --font-scale: ${fontScale()};`;
}

/**
 * weapp: the first thing a page renders (inside the page frame). Renders nothing in h5, where
 * <body> carries the class. The page's config must set `enablePageMeta: true`.
 */
export function ElderPageMeta() {
  const on = useElderMode();
  if (process.env.TARO_ENV !== 'weapp') return null;
  return createElement(PageMeta, { rootFontSize: 'system', pageStyle: elderPageStyle(on) });
}
