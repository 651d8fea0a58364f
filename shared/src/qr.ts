// What the two QR codes carry. The server checks only the six digits; the
// prefix tells a presence code from a pickup code, so a scan of the wrong one
// is caught on the phone with a clear message.

const PRESENCE = 'LLB1';
const PICKUP = 'LLBG';

/** 到场验证: the resident's phone shows it, the volunteer scans it at check-in and check-out. */
export const presenceQr = {
  encode: (orderId: string, code: string) => `${PRESENCE}:${orderId}:${code}`,
  /** The code, when the text is a presence code of this order; null otherwise. */
  decode(text: string, orderId: string): string | null {
    const [tag, id, code] = text.trim().split(':');
    return tag === PRESENCE && id === orderId && code && /^\d{6}$/.test(code) ? code : null;
  },
};

/** 取货码: the volunteer's phone shows it, staff scan it to hand the goods over (核销). */
export const pickupQr = {
  encode: (code: string) => `${PICKUP}:${code}`,
  /** The digits of a scanned or typed pickup code (with or without the prefix). */
  decode: (text: string) => text.trim().replace(new RegExp(`^${PICKUP}:`), ''),
};
