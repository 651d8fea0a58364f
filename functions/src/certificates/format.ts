// How the certificate spells times and lengths: dates and clocks in Shanghai time,
// service time in hours with one decimal.

const SHANGHAI_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
// en-CA writes dates as YYYY-MM-DD.
const SHANGHAI_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Service time as the certificate prints it: 750 → '12.5' (hours). */
export function hours(minutes: number): string {
  return (minutes / 60).toFixed(1);
}

/** The Shanghai date of an instant, 'YYYY-MM-DD'. */
export function shanghaiDay(iso: string): string {
  return SHANGHAI_DAY.format(new Date(iso));
}

/** 'YYYY-MM-DD' as 2026年3月8日. */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** 09:00–10:30 in Shanghai time ('次日' before an end past midnight, '—' when neither is known). */
export function clockRange(startedAt: string | null, endedAt: string | null): string {
  const clock = (iso: string) => SHANGHAI_CLOCK.format(new Date(iso));
  if (!startedAt) return endedAt ? `至 ${clock(endedAt)}` : '—';
  if (!endedAt) return `${clock(startedAt)} 起`;
  const nextDay = shanghaiDay(endedAt) > shanghaiDay(startedAt) ? '次日' : '';
  return `${clock(startedAt)}–${nextDay}${clock(endedAt)}`;
}
