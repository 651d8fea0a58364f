import type { UploadView } from '@llb/shared';
import Taro from '@tarojs/taro';
import { ApiError, apiUrl, authHeader, newKey, serverUrl } from './api';
import { loadPolicy } from './policy';
import { clearSession } from './session';

/** What a photo is for (POST /api/uploads `purpose`): who may read it back follows from it. */
export type PhotoPurpose = 'skill_proof' | 'need_photo' | 'wish_proof';

interface Picked {
  path: string;
  size: number;
}

const NOT_SENT = '照片没有传上去，请检查网络后再试';

// Stored photos need the session to be read, so <Image> can't load them by address: each is
// fetched once per run and shown from a local copy (h5 a blob URL, weapp a downloaded temp file).
const sources = new Map<string, Promise<string>>();

function rememberPhoto(url: string, localPath: string): void {
  sources.set(url, Promise.resolve(localPath));
}

/** Takes or chooses up to `count` photos (camera or album); [] when the person backs out. */
async function pickPhotos(count: number): Promise<Picked[]> {
  try {
    const chosen = await Taro.chooseMedia({
      count,
      mediaType: ['image'],
      sizeType: ['compressed'],
      sourceType: ['album', 'camera'],
    });
    return chosen.tempFiles.map((file) => ({ path: file.tempFilePath, size: file.size }));
  } catch {
    return [];
  }
}

/** h5: draws the picture smaller onto a canvas and encodes it as JPEG until it fits. */
async function shrinkInBrowser(path: string, maxBytes: number): Promise<string> {
  const image = new Image();
  image.src = path;
  await image.decode();
  let side = 1600;
  for (const quality of [0.8, 0.7, 0.6, 0.5]) {
    const scale = Math.min(1, side / Math.max(image.naturalWidth, image.naturalHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.naturalWidth * scale);
    canvas.height = Math.round(image.naturalHeight * scale);
    canvas.getContext('2d')?.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob && (blob.size <= maxBytes || quality === 0.5)) return URL.createObjectURL(blob);
    side = Math.round(side * 0.75);
  }
  return path;
}

/** Makes a photo fit the deployment's size limit (policy uploadMaxKb) before it is sent. */
async function fitted(picked: Picked): Promise<string> {
  const maxBytes = (await loadPolicy()).uploadMaxKb * 1024;
  if (picked.size <= maxBytes) return picked.path;
  try {
    if (process.env.TARO_ENV === 'h5') return await shrinkInBrowser(picked.path, maxBytes);
    const small = await Taro.compressImage({ src: picked.path, quality: 60, compressedWidth: 1280 });
    return small.tempFilePath;
  } catch {
    return picked.path; // the server says in words if it is still too large
  }
}

function answerOf(data: unknown): { error?: { code?: string; message?: string } } & Partial<UploadView> {
  if (typeof data !== 'string') return (data ?? {}) as ReturnType<typeof answerOf>;
  try {
    return JSON.parse(data);
  } catch {
    return {};
  }
}

/** Sends one photo as multipart (`file`, `purpose`), as wx.uploadFile does in both builds. */
async function upload(path: string, purpose: PhotoPurpose): Promise<UploadView> {
  const sent = await Taro.uploadFile({
    url: apiUrl('/uploads'),
    filePath: path,
    name: 'file',
    formData: { purpose },
    header: { ...authHeader(), 'idempotency-key': newKey() },
    timeout: 60_000,
  }).catch(() => null);
  if (!sent) throw new ApiError('network', 0, NOT_SENT);
  const answer = answerOf(sent.data);
  if (sent.statusCode === 200 && answer.id && answer.url) {
    rememberPhoto(answer.url, path);
    return answer as UploadView;
  }
  if (sent.statusCode === 401) clearSession();
  throw new ApiError(answer.error?.code ?? 'internal', sent.statusCode, answer.error?.message ?? NOT_SENT);
}

/** Take or choose up to `count` photos and upload each; [] when the person backs out. */
export async function takePhotos(purpose: PhotoPurpose, count = 1): Promise<UploadView[]> {
  const picked = await pickPhotos(count);
  const uploads: UploadView[] = [];
  for (const photo of picked) uploads.push(await upload(await fitted(photo), purpose));
  return uploads;
}

async function fetchPhoto(url: string): Promise<string> {
  if (process.env.TARO_ENV === 'h5') {
    const response = await fetch(serverUrl(url), { headers: authHeader() });
    if (!response.ok) throw new ApiError('internal', response.status, '照片没有打开');
    return URL.createObjectURL(await response.blob());
  }
  const downloaded = await Taro.downloadFile({ url: serverUrl(url), header: authHeader() });
  if (downloaded.statusCode !== 200) throw new ApiError('internal', downloaded.statusCode, '照片没有打开');
  return downloaded.tempFilePath;
}

/** A stored photo (`/api/uploads/…`) as a source <Image> can show. */
export function photoSource(url: string): Promise<string> {
  let found = sources.get(url);
  if (!found) {
    found = fetchPhoto(url);
    sources.set(url, found);
    found.catch(() => sources.delete(url));
  }
  return found;
}
