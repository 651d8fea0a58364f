// ID numbers (身份证号) are encrypted here, before SQL: AES-256-GCM with ID_NUMBER_KEY
// from the environment. Neither the number nor the key is ever a SQL parameter, so
// neither can surface in Postgres's statement logs, pg_stat_statements or an error
// that echoes its arguments; the database holds ciphertext and the masked form only.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { maskIdNumber } from '@llb/shared';

const VERSION = 'v1';

/** `v1.<iv>.<tag>.<ciphertext>` in base64url, and the masked form (1101**********1234). */
export function sealIdNumber(idNumber: string, key: Buffer): { cipher: string; masked: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(idNumber, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url'));
  return { cipher: [VERSION, ...parts].join('.'), masked: maskIdNumber(idNumber) };
}

/** The number back, for the official record (志愿服务记录) only; throws on a wrong key or tampering. */
export function openIdNumber(sealed: string, key: Buffer): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || !data) throw new Error('not a sealed ID number');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
