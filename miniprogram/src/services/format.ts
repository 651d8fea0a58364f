import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const SHANGHAI_MINUTES = 480; // UTC+8, no daylight saving

/** A moment as the clock in Shanghai shows it, whatever the phone's own time zone (no Intl needed). */
export function inShanghai(at?: string | number | Date): dayjs.Dayjs {
  return dayjs(at).utcOffset(SHANGHAI_MINUTES);
}

/** "2026-11-25" and "09:30" picked in the form, as an ISO time in Shanghai. */
export function shanghaiIso(date: string, time: string): string {
  return `${date}T${time}:00+08:00`;
}

/** 11月25日 周三 14:00–16:00, in Shanghai time. */
export function formatWindow(start: string, end: string): string {
  const s = inShanghai(start);
  return `${s.format('M月D日')} ${WEEKDAYS[s.day()]} ${s.format('HH:mm')}–${inShanghai(end).format('HH:mm')}`;
}

export function formatTime(at: string): string {
  return inShanghai(at).format('M月D日 HH:mm');
}

export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} 分钟`;
  return m === 0 ? `${h} 小时` : `${h} 小时 ${m} 分钟`;
}

/** 2 分钟, 90 秒: how long a short-lived code lasts. */
export function formatSeconds(seconds: number): string {
  return seconds % 60 === 0 ? formatMinutes(seconds / 60) : `${seconds} 秒`;
}
