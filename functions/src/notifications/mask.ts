/** 13812345678 → 138****5678 (a number is never logged or kept in full). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+?86/, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/** An openid shortened for logs: its first 6 characters. */
export function maskOpenid(openid: string): string {
  return `${openid.slice(0, 6)}…`;
}

const MOBILE = /(\+?86)?1[3-9]\d{9}/g;

/** Any mainland mobile number in a text (a provider's error, a log line) masked. */
export function scrubPhones(text: string): string {
  return text.replace(MOBILE, (m) => maskPhone(m));
}
