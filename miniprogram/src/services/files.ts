import Taro from '@tarojs/taro';
import { ApiError, apiUrl, authHeader } from './api';

const NOT_DOWNLOADED = '证明文件没有下载下来，请稍后再试';

/** The server's Chinese message from a failed file answer, when it sent one. */
async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string };
  } | null;
  return new ApiError(
    body?.error?.code ?? 'internal',
    response.status,
    body?.error?.message ?? NOT_DOWNLOADED,
  );
}

/** h5: fetch with the session (a plain link can't carry it), then save it under a readable name. */
async function saveInBrowser(path: string, fileName: string): Promise<void> {
  const response = await fetch(apiUrl(path), { headers: authHeader() }).catch(() => null);
  if (!response) throw new ApiError('network', 0, '网络不太好，请检查网络后再试');
  if (!response.ok) throw await failure(response);
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the address is let go.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** weapp: download with the session header, then WeChat's own viewer (with its menu: send, save, print). */
async function openInWechat(path: string): Promise<void> {
  const downloaded = await Taro.downloadFile({ url: apiUrl(path), header: authHeader() }).catch(() => null);
  if (!downloaded) throw new ApiError('network', 0, '网络不太好，请检查网络后再试');
  if (downloaded.statusCode !== 200) throw new ApiError('internal', downloaded.statusCode, NOT_DOWNLOADED);
  await Taro.openDocument({ filePath: downloaded.tempFilePath, fileType: 'pdf', showMenu: true });
}

/** 志愿服务证明 as a PDF: opened in WeChat, downloaded as 志愿服务证明-<编号>.pdf in the browser. */
export function openCertificatePdf(certificate: { id: string; serial: string }): Promise<void> {
  const path = `/certificates/${certificate.id}/pdf`;
  if (process.env.TARO_ENV === 'h5') return saveInBrowser(path, `志愿服务证明-${certificate.serial}.pdf`);
  return openInWechat(path);
}
