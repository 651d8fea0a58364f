// Tencent Cloud SMS (短信) SendSms, API 3.0 version 2021-01-11, signed with
// TC3-HMAC-SHA256, without the SDK. The signature name and template ids are
// deployment configuration (an approved 签名 and 模板 are needed to send in China).
import { createHash, createHmac } from 'node:crypto';
import { scrubPhones } from '../notifications/mask';
import type { SmsOutcome, SmsProvider } from './port';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region: string;
  /** https://sms.tencentcloudapi.com; a fake on 127.0.0.1 in tests. */
  apiBase: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();

/** The Authorization header of a TC3-HMAC-SHA256 signed POST of `payload` (JSON) to `host`. */
export function tc3Authorization(input: {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  payload: string;
  timestamp: number;
}): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:application/json; charset=utf-8\nhost:${input.host}\n`,
    'content-type;host',
    sha256(input.payload),
  ].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

/** Codes worth another try later: Tencent's side failing, or our request throttled or its clock skewed. */
function transient(code: string): boolean {
  return (
    code.startsWith('InternalError') ||
    code === 'RequestLimitExceeded' ||
    code === 'AuthFailure.SignatureExpire' ||
    code.startsWith('ResourceUnavailable')
  );
}

function outcome(code: string, message: string): SmsOutcome {
  if (code === 'Ok') return { kind: 'sent' };
  const reason = scrubPhones(`${code} ${message}`.trim()).slice(0, 200);
  // LimitExceeded.* (per-number frequency and daily quotas) is a refusal: not retried.
  return transient(code) ? { kind: 'retry', reason } : { kind: 'refused', reason };
}

export function createTencentSms(options: TencentSmsOptions): SmsProvider {
  const doFetch = options.fetch ?? fetch;
  const url = new URL(options.apiBase);
  return {
    async send(phone, templateId, params) {
      const payload = JSON.stringify({
        PhoneNumberSet: [`+86${phone.replace(/^\+?86/, '')}`],
        SmsSdkAppId: options.sdkAppId,
        SignName: options.signName,
        TemplateId: templateId,
        TemplateParamSet: params,
      });
      const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: {
            authorization: tc3Authorization({
              secretId: options.secretId,
              secretKey: options.secretKey,
              service: 'sms',
              host: url.host,
              payload,
              timestamp,
            }),
            'content-type': 'application/json; charset=utf-8',
            'x-tc-action': 'SendSms',
            'x-tc-version': '2021-01-11',
            'x-tc-region': options.region,
            'x-tc-timestamp': String(timestamp),
          },
          body: payload,
          signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
        });
      } catch (error) {
        return {
          kind: 'retry',
          reason: scrubPhones(`network: ${error instanceof Error ? error.message : error}`),
        };
      }
      if (response.status >= 500 || response.status === 429)
        return { kind: 'retry', reason: `HTTP ${response.status}` };
      let reply: {
        Response?: {
          Error?: { Code?: string; Message?: string };
          SendStatusSet?: { Code?: string; Message?: string }[];
        };
      };
      try {
        reply = await response.json();
      } catch {
        return { kind: 'retry', reason: `HTTP ${response.status}, not JSON` };
      }
      const error = reply.Response?.Error;
      if (error) return outcome(error.Code ?? 'Unknown', error.Message ?? '');
      const status = reply.Response?.SendStatusSet?.[0];
      if (!status) return { kind: 'retry', reason: 'no SendStatusSet in the answer' };
      return outcome(status.Code ?? 'Unknown', status.Message ?? '');
    },
  };
}
