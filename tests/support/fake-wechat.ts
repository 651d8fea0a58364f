import { createServer, type Server } from 'node:http';

export interface FakeWechat {
  url: string;
  /** Query strings of the code2session requests received, in order. */
  requests: URLSearchParams[];
  /** code → reply; unknown codes get WeChat's 40029 invalid code. */
  codes: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/** A stand-in for api.weixin.qq.com on 127.0.0.1, answering jscode2session as WeChat does. */
export async function startFakeWechat(): Promise<FakeWechat> {
  const requests: URLSearchParams[] = [];
  const codes = new Map<string, Record<string, unknown>>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('content-type', 'application/json');
    if (url.pathname !== '/sns/jscode2session') {
      res.statusCode = 404;
      res.end('{}');
      return;
    }
    requests.push(url.searchParams);
    const reply = codes.get(url.searchParams.get('js_code') ?? '') ?? {
      errcode: 40029,
      errmsg: 'invalid code',
    };
    res.end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    codes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
