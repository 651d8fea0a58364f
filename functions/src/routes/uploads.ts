import { createHash } from 'node:crypto';
import { AppError, type UploadView } from '@llb/shared';
import { Hono } from 'hono';
import type { AppEnv } from '../http/env';
import { uuidParam } from '../http/params';

/** What a picture's first bytes say it is; null for anything else (the name and the declared type are not trusted). */
export function sniffImage(bytes: Uint8Array): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** Photos (a skill's proof, a need's photo, a wish's proof): multipart `file` and `purpose` (wx.uploadFile's way). */
export const uploadRoutes = new Hono<AppEnv>()
  .post('/uploads', async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data')) throw new AppError('invalid_input', '请选择一张照片上传');
    const form = await c.req.parseBody().catch(() => {
      throw new AppError('invalid_input', '照片没有传完整，请重新上传');
    });
    const purpose = typeof form.purpose === 'string' && form.purpose !== '' ? form.purpose : 'skill_proof';
    const file = form.file;
    if (!(file instanceof File)) throw new AppError('invalid_input', '请选择一张照片上传');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const mime = sniffImage(bytes);
    if (!mime) throw new AppError('invalid_input', '请上传 JPG、PNG 或 WebP 格式的照片');
    const saved = await c.var.deps.db.rpc<UploadView & { storageKey: string }>('save_upload', {
      p_actor: c.var.session.userId,
      p_purpose: purpose,
      p_mime: mime,
      p_size: bytes.length,
      p_sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    // After SQL said yes (size, type, who): a resend puts the same file again, which also heals a failed put.
    await c.var.deps.files.put(saved.storageKey, bytes, mime);
    const { storageKey: _, ...upload } = saved;
    return c.json(upload satisfies UploadView);
  })
  .get('/uploads/:uploadId', async (c) => {
    const photo = await c.var.deps.db.rpc<{ mime: string; storageKey: string }>('get_upload', {
      p_actor: c.var.session.userId,
      p_upload_id: uuidParam(c, 'uploadId'),
    });
    const bytes = await c.var.deps.files.get(photo.storageKey);
    if (!bytes) throw new AppError('not_found', '这张照片没有保存成功，请重新上传');
    c.header('content-type', photo.mime);
    c.header('cache-control', 'private, no-store');
    c.header('x-content-type-options', 'nosniff');
    return c.body(new Uint8Array(bytes));
  });
