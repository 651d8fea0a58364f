import { inShanghai } from './format';

/** A span of whole days, both ends included, as YYYY-MM-DD in Shanghai. */
export interface Period {
  from: string;
  to: string;
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** Today's date in Shanghai, YYYY-MM-DD. */
export function today(): string {
  return inShanghai().format('YYYY-MM-DD');
}

/** 1 January of this year up to today: what a certificate covers unless the person picks another span. */
export function thisYear(): Period {
  const now = inShanghai();
  return { from: `${now.year()}-01-01`, to: now.format('YYYY-MM-DD') };
}

export function lastYear(): Period {
  const year = inShanghai().year() - 1;
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** 2026年3月5日 from 2026-03-05 (a calendar day, no time zone involved). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 3月5日 周四 from 2026-03-05, with the year in front when it is not this year's. */
export function formatDayShort(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const weekday = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay();
  const year = y === inShanghai().year() ? '' : `${y}年`;
  return `${year}${m}月${d}日 ${WEEKDAYS[weekday]}`;
}

/** 2026年1月1日 至 2026年11月25日. */
export function formatPeriod(from: string, to: string): string {
  return `${formatDay(from)} 至 ${formatDay(to)}`;
}

/** 2026年11月 from 2026-11. */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${y}年${m}月`;
}

/** The Shanghai calendar day of a moment, YYYY-MM-DD. */
export function dayOf(at: string): string {
  return inShanghai(at).format('YYYY-MM-DD');
}

/** 09:30 in Shanghai from an ISO time. */
export function formatClock(at: string): string {
  return inShanghai(at).format('HH:mm');
}
