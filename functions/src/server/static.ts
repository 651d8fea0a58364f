// The h5 build, served by the Node server: compressed (the build's own .br/.gz, else compressed
// once here and kept), cached for a year when the name carries a content hash, revalidated
// (ETag, 304) otherwise, and index.html never used without asking.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.ico', '.ttf', '.txt', '.map']);
/** Webpack's `[contenthash:8]` (and longer) before the extension: `app.d18209ea.js`. */
const HASHED = /\.[0-9a-f]{8,}\.[a-z0-9]+$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const SHORT = 'public, max-age=3600';

type Encoding = 'br' | 'gzip';
interface Entry {
  mtimeMs: number;
  size: number;
  etag: string;
  type: string;
  body: Buffer;
  encoded: Partial<Record<Encoding, Promise<Buffer | null>>>;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Encodings the client accepts, best first (q=0 refuses). */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  const accepted = new Set<string>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name.trim());
  }
  return (['br', 'gzip'] as const).filter((e) => accepted.has(e) || accepted.has('*'));
}

export function cacheControlFor(path: string): string {
  if (path.endsWith('.html')) return REVALIDATE;
  if (HASHED.test(path)) return IMMUTABLE;
  return SHORT;
}

/** The build's precompressed sibling when it is at least as new as the file, else compressed here. */
async function encode(file: string, entry: Entry, encoding: Encoding): Promise<Buffer | null> {
  const sibling = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
  const info = await stat(sibling).catch(() => null);
  if (info?.isFile() && info.mtimeMs >= entry.mtimeMs) return readFile(sibling);
  // Not precompressed (an older build, a file copied in): compress once, fast settings.
  const out =
    encoding === 'br'
      ? await brotli(entry.body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_SIZE_HINT]: entry.body.length,
          },
        })
      : await gzipAsync(entry.body, { level: 6 });
  return out.length < entry.body.length ? out : null;
}

/**
 * Serves the files under `root` for GET and HEAD outside /api; `/` is index.html. Files are read
 * once and kept in memory with their compressed forms until their mtime or size changes.
 */
export function h5Static(root: string): MiddlewareHandler {
  const base = resolve(root);
  const cache = new Map<string, Entry>();

  async function load(file: string): Promise<Entry | null> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const body = await readFile(file);
    const entry: Entry = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`,
      type: TYPES[extname(file)] ?? 'application/octet-stream',
      body,
      encoded: {},
    };
    cache.set(file, entry);
    return entry;
  }

  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return next();
    }
    if (path === '/api' || path.startsWith('/api/') || path.includes('\0')) return next();
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(base, `.${path}`);
    const rel = relative(base, file);
    if (!rel || rel.startsWith('..') || rel.split(sep).some((part) => part.startsWith('.'))) return next();
    const entry = await load(file);
    if (!entry) return next();
    return send(c, file, rel, entry);
  };

  async function send(c: Context, file: string, rel: string, entry: Entry): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': entry.type,
      'cache-control': cacheControlFor(rel),
      etag: entry.etag,
    };
    const compressible = COMPRESSIBLE.has(extname(file)) && entry.body.length >= 1024;
    if (compressible) headers.vary = 'Accept-Encoding';
    const match = c.req.header('if-none-match');
    if (match?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag)) {
      return new Response(null, { status: 304, headers });
    }
    let body = entry.body;
    if (compressible) {
      for (const encoding of acceptedEncodings(c.req.header('accept-encoding'))) {
        entry.encoded[encoding] ??= encode(file, entry, encoding).catch(() => null);
        const encoded = await entry.encoded[encoding];
        if (encoded) {
          body = encoded;
          headers['content-encoding'] = encoding;
          break;
        }
      }
    }
    headers['content-length'] = String(body.length);
    return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  }
}

const PREPARING = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>邻里帮 · 正在准备</title>
<style>
body{margin:0;font:20px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f7f5f2;color:#222}
main{max-width:28em;margin:20vh auto;padding:0 24px;text-align:center}
h1{font-size:28px;color:#b9400c;margin:0 0 12px}
</style>
</head>
<body>
<main>
<h1>正在准备，请稍候</h1>
<p>邻里帮正在生成网页版，第一次大约需要一两分钟。</p>
<p>准备好后这个页面会自动打开，不用手动刷新。</p>
</main>
</body>
</html>
`;

const FAILED = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>邻里帮 · 网页版没有生成</title>
</head>
<body style="font:20px/1.6 system-ui,sans-serif;text-align:center;margin-top:20vh">
<h1 style="color:#b9400c">网页版没有生成成功</h1>
<p>请看启动它的终端里的错误信息。接口 /api 仍然可用。</p>
</body>
</html>
`;

/**
 * While the h5 build runs: every page outside /api is the 正在准备 page (503, refreshes itself every
 * 5 s), then the build itself. A failed build says so instead.
 */
export function h5WhenReady(root: string, ready: Promise<unknown>): MiddlewareHandler {
  let state: 'building' | 'ready' | 'failed' = 'building';
  ready.then(
    () => {
      state = 'ready';
    },
    () => {
      state = 'failed';
    },
  );
  const serve = h5Static(root);
  return async (c, next) => {
    if (state === 'ready') return serve(c, next);
    const path = c.req.path;
    if (path === '/api' || path.startsWith('/api/')) return next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const building = state === 'building';
    return c.html(building ? PREPARING : FAILED, building ? 503 : 500, {
      'cache-control': 'no-store',
      ...(building ? { 'retry-after': '5' } : {}),
    });
  };
}
