import type {
  AuthOptions,
  CommunityChoice,
  CommunityOverview,
  DemoIdentity,
  ErrorBody,
  LoginResult,
  Me,
  SetHomeBody,
} from '@llb/shared';
import Taro from '@tarojs/taro';
import { clearSession, loadSession } from './session';

/** A failed API call, carrying the server's Chinese message ready to show. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

async function request<T>(method: Method, path: string, data?: object): Promise<T> {
  const token = loadSession()?.token;
  let response: Awaited<ReturnType<typeof Taro.request>>;
  try {
    response = await Taro.request({
      url: `${API_BASE}/api${path}`,
      method,
      data,
      timeout: 15000,
      header: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  } catch {
    throw new ApiError('network', 0, '网络不太好，请检查网络后再试');
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return response.data as T;
  if (response.statusCode === 401) clearSession();
  const body = response.data as Partial<ErrorBody> | undefined;
  throw new ApiError(
    body?.error?.code ?? 'internal',
    response.statusCode,
    body?.error?.message ?? '系统出了点问题，请稍后再试',
  );
}

/** The only network layer of the mini-program. */
export const api = {
  authOptions: () => request<AuthOptions>('GET', '/auth/options'),
  demoIdentities: () => request<DemoIdentity[]>('GET', '/auth/demo-identities'),
  loginDemo: (identity: string) => request<LoginResult>('POST', '/auth/dev', { identity }),
  loginWechat: (code: string) => request<LoginResult>('POST', '/auth/wechat', { code }),
  me: () => request<Me>('GET', '/me'),
  setHome: (body: SetHomeBody) => request<LoginResult>('PUT', '/me/home', body),
  communities: () => request<CommunityChoice[]>('GET', '/communities'),
  communityOverview: (communityId: string) =>
    request<CommunityOverview>('GET', `/staff/communities/${communityId}/overview`),
};
