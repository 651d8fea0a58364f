// WeChat subscribe-message keyword values within the platform's limits
// (over a limit WeChat answers 47003 and sends nothing). Pure: unit-tested.

export const KEYWORD_TYPES = [
  'thing',
  'phrase',
  'time',
  'date',
  'character_string',
  'number',
  'name',
] as const;
export type KeywordType = (typeof KEYWORD_TYPES)[number];

/** Characters WeChat allows per keyword type (counted as Unicode characters). */
export const KEYWORD_LIMITS: Record<KeywordType, number> = {
  thing: 20,
  phrase: 5,
  time: 32,
  date: 32,
  character_string: 32,
  number: 32,
  name: 10,
};

const chars = (s: string): string[] => Array.from(s);

/** At most `max` characters; a cut value ends in '…' (which counts). */
export function truncate(value: string, max: number): string {
  const all = chars(value);
  if (all.length <= max) return value;
  return `${all.slice(0, Math.max(0, max - 1)).join('')}…`;
}

const SHANGHAI = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T|\s)\d{2}:\d{2}/;

/** An instant as WeChat's time keyword wants it, in Shanghai time: 2026年11月25日 09:30. Null if not a time. */
export function shanghaiTime(value: unknown, withClock = true): string | null {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' && ISO_TIME.test(value)
        ? new Date(value)
        : typeof value === 'number'
          ? new Date(value)
          : null;
  if (!date || Number.isNaN(date.getTime())) return null;
  const parts = Object.fromEntries(SHANGHAI.formatToParts(date).map((p) => [p.type, p.value]));
  const day = `${parts.year}年${parts.month}月${parts.day}日`;
  return withClock ? `${day} ${parts.hour}:${parts.minute}` : day;
}

/** What a value says as text: strings as they are, numbers and booleans spelled out, nothing else. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return '';
}

/**
 * One keyword's value for its type: thing ≤ 20 characters, phrase ≤ 5 Chinese
 * characters, name ≤ 10, character_string ≤ 32 of letters, digits and symbols,
 * number digits only, time 'YYYY年MM月DD日 HH:mm' (date without the clock) in
 * Shanghai time. An empty result becomes `fallback` (WeChat refuses empty values).
 */
export function formatKeyword(type: KeywordType, value: unknown, fallback?: string): string {
  let out: string;
  switch (type) {
    case 'time':
    case 'date':
      out = shanghaiTime(value, type === 'time') ?? truncate(asText(value), KEYWORD_LIMITS[type]);
      break;
    case 'phrase':
      out = chars(asText(value).replace(/[^\p{Script=Han}]/gu, ''))
        .slice(0, KEYWORD_LIMITS.phrase)
        .join('');
      break;
    case 'number': {
      const text = asText(value);
      const match = text.match(/-?\d+(\.\d+)?/);
      out = match ? match[0].slice(0, KEYWORD_LIMITS.number) : '';
      break;
    }
    case 'character_string':
      out = asText(value)
        .replace(/[^\x21-\x7E]/g, '')
        .slice(0, KEYWORD_LIMITS.character_string);
      break;
    case 'name':
    case 'thing':
      out = truncate(asText(value), KEYWORD_LIMITS[type]);
      break;
  }
  if (out) return out;
  return truncate(fallback ?? (type === 'phrase' ? '通知' : '-'), KEYWORD_LIMITS[type]);
}
