// The Supabase Storage adapter against a local stand-in of the Storage API: the calls
// supabase-js makes with the service-role key, bytes kept whole, a missing file as null.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSupabaseStore } from '../../functions/src/storage/supabase-store';

let server: Server;
let baseUrl: string;
const objects = new Map<string, { bytes: Buffer; type: string }>();
const seen: { method: string; url: string; auth: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', url: url.pathname, auth: req.headers.authorization });
      const body = Buffer.concat(chunks);
      const match = url.pathname.match(/^\/storage\/v1\/object\/(?:authenticated\/)?uploads\/(.+)$/);
      if ((req.method === 'POST' || req.method === 'PUT') && match?.[1]) {
        objects.set(decodeURIComponent(match[1]), { bytes: body, type: String(req.headers['content-type']) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Key: `uploads/${match[1]}` }));
      } else if (req.method === 'GET' && match?.[1]) {
        const found = objects.get(decodeURIComponent(match[1]));
        if (!found) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ statusCode: '404', error: 'not_found', message: 'Object not found' }));
        } else {
          res.writeHead(200, { 'content-type': found.type });
          res.end(found.bytes);
        }
      } else if (req.method === 'DELETE' && url.pathname === '/storage/v1/object/uploads') {
        const { prefixes } = JSON.parse(body.toString()) as { prefixes: string[] };
        for (const p of prefixes) objects.delete(p);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(prefixes.map((name) => ({ name }))));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `unexpected ${req.method} ${url.pathname}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const KEY = `e0000000-0000-4000-8000-000000000001/${'ab'.repeat(32)}`;

it('puts, gets back byte for byte, answers null for a missing file and removes, with the service-role key', async () => {
  const store = createSupabaseStore({ url: baseUrl, serviceRoleKey: 'service-role-key', bucket: 'uploads' });
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, 250, 0, 7]);
  await store.put(KEY, bytes, 'image/jpeg');
  expect(objects.get(KEY)?.type).toBe('image/jpeg');
  expect(Buffer.from((await store.get(KEY)) ?? []).equals(Buffer.from(bytes))).toBe(true);
  await store.remove([KEY]);
  expect(await store.get(KEY)).toBeNull();
  expect(seen.every((s) => s.auth === 'Bearer service-role-key')).toBe(true);
  expect(seen.map((s) => s.method)).toEqual(['POST', 'GET', 'DELETE', 'GET']);
});

it('refuses a key that is not owner/sha256 before any request', async () => {
  const store = createSupabaseStore({ url: baseUrl, serviceRoleKey: 'k', bucket: 'uploads' });
  const before = seen.length;
  await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a file key/);
  expect(seen.length).toBe(before);
});
