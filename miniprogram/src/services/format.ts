import dayjs from 'dayjs';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** 11月25日 周三 14:00–16:00, in the phone's local time (Asia/Shanghai for our users). */
export function formatWindow(start: string, end: string): string {
  const s = dayjs(start);
  const e = dayjs(end);
  return `${s.format('M月D日')} ${WEEKDAYS[s.day()]} ${s.format('HH:mm')}–${e.format('HH:mm')}`;
}

export function formatTime(at: string): string {
  return dayjs(at).format('M月D日 HH:mm');
}

export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} 分钟`;
  return m === 0 ? `${h} 小时` : `${h} 小时 ${m} 分钟`;
}
