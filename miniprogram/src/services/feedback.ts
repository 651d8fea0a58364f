import Taro from '@tarojs/taro';
import { ApiError } from './api';

/** Runs a user action, showing its error in words the user can act on. Resolves to null on failure. */
export async function attempt<T>(action: () => Promise<T>, success?: string): Promise<T | null> {
  Taro.showLoading({ title: '请稍候', mask: true });
  try {
    const result = await action();
    Taro.hideLoading();
    if (success) Taro.showToast({ title: success, icon: 'success' });
    return result;
  } catch (error) {
    Taro.hideLoading();
    const message = error instanceof ApiError ? error.message : '操作没有成功，请再试一次';
    await Taro.showModal({ title: '提示', content: message, showCancel: false, confirmText: '知道了' });
    return null;
  }
}

export function routerParam(name: string): string {
  return Taro.getCurrentInstance().router?.params?.[name] ?? '';
}
