import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface FakeSmsMessage {
  phone: string;
  templateId: string;
  params: string[];
  signName: string;
  sdkAppId: string;
}

export interface FakeSms {
  url: string;
  /** Messages accepted, in order. */
  messages: FakeSmsMessage[];
  /** Requests whose TC3-HMAC-SHA256 signature did not verify. */
  badSignatures: number;
  /** Error codes to answer the next sends with instead of Ok, first first (e.g. 'InternalError.Timeout'). */
  failures: string[];
  close(): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A stand-in for sms.tencentcloudapi.com (SendSms 2021-01-11) on 127.0.0.1: it
 * checks the TC3-HMAC-SHA256 signature with the secret key, and answers as
 * Tencent Cloud does (Response.SendStatusSet, or Response.Error).
 */
export async function startFakeSms(secretId: string, secretKey: string): Promise<FakeSms> {
  const state = { messages: [] as FakeSmsMessage[], badSignatures: 0, failures: [] as string[] };
  const server: Server = createServer((req, res) => {
    let payload = '';
    req.on('data', (chunk) => {
      payload += chunk;
    });
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const requestId = `req-${state.messages.length}`;
      const timestamp = Number(req.headers['x-tc-timestamp']);
      const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
      const canonical = `POST\n/\n\ncontent-type:${req.headers['content-type']}\nhost:${req.headers.host}\n\ncontent-type;host\n${sha256(payload)}`;
      const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/sms/tc3_request\n${sha256(canonical)}`;
      const kDate = createHmac('sha256', `TC3${secretKey}`).update(date).digest();
      const kService = createHmac('sha256', kDate).update('sms').digest();
      const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
      const expected = createHmac('sha256', kSigning).update(toSign).digest('hex');
      const auth = String(req.headers.authorization ?? '');
      if (
        req.headers['x-tc-action'] !== 'SendSms' ||
        !auth.includes(`Credential=${secretId}/${date}/sms/tc3_request`) ||
        !auth.endsWith(`Signature=${expected}`)
      ) {
        state.badSignatures += 1;
        res.end(
          JSON.stringify({
            Response: {
              Error: { Code: 'AuthFailure.SignatureFailure', Message: 'signature mismatch' },
              RequestId: requestId,
            },
          }),
        );
        return;
      }
      const body = JSON.parse(payload) as {
        PhoneNumberSet: string[];
        TemplateId: string;
        TemplateParamSet: string[];
        SignName: string;
        SmsSdkAppId: string;
      };
      const phone = body.PhoneNumberSet[0] ?? '';
      const failure = state.failures.shift();
      if (failure) {
        res.end(
          JSON.stringify({
            Response: {
              SendStatusSet: [
                {
                  SerialNo: '',
                  PhoneNumber: phone,
                  Fee: 0,
                  Code: failure,
                  Message: `${failure} for ${phone}`,
                },
              ],
              RequestId: requestId,
            },
          }),
        );
        return;
      }
      state.messages.push({
        phone,
        templateId: body.TemplateId,
        params: body.TemplateParamSet,
        signName: body.SignName,
        sdkAppId: body.SmsSdkAppId,
      });
      res.end(
        JSON.stringify({
          Response: {
            SendStatusSet: [
              {
                SerialNo: `sn-${state.messages.length}`,
                PhoneNumber: phone,
                Fee: 1,
                Code: 'Ok',
                Message: 'send success',
              },
            ],
            RequestId: requestId,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get messages() {
      return state.messages;
    },
    get badSignatures() {
      return state.badSignatures;
    },
    get failures() {
      return state.failures;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
