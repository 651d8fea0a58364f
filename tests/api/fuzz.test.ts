import { randomUUID } from 'node:crypto';
import { REQUESTS, RESPONSES, type RequestSpec, type RouteKey } from '@llb/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTestApp, checkAnswer, demoToken } from '../support/api-app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MORE, SEED } from '../support/ids';

// A fuzzer over every route, generated from the route table (RESPONSES) and the
// request table (REQUESTS): malformed bodies and query strings (wrong types,
// missing and extra fields, null/array/string bodies, 100k strings, NUL and
// control characters, emoji, broken surrogates, invalid and reversed dates,
// numbers out of range), invalid ids in the path and bad Idempotency-Keys, sent
// as a resident, a volunteer and staff. Every refusal must be a 4xx in the
// documented error shape with a Chinese message, and no refused request may
// change a row (a hash of every public table before and after each route).
//
// FUZZ_RUNS (cases per route and role, default 12) and FUZZ_SEED make it heavier
// or reproducible: `FUZZ_RUNS=2000 npx vitest run --project api tests/api/fuzz.test.ts`.
const RUNS = Number(process.env.FUZZ_RUNS || 12);
const SEED_VALUE = Number(process.env.FUZZ_SEED || (process.env.FUZZ_RUNS ? Date.now() % 1e9 : 20261125));
const ROLES = ['resident', 'volunteer', 'staff'] as const;
const DEMO_KEYS = new Set([
  'resident',
  'resident-chen',
  'resident-liu',
  'volunteer',
  'staff',
  'street-admin',
]);
// Rows a refused request may legitimately leave: replay records and the staff read log.
const UNWATCHED = ['idempotency_keys', 'personal_data_access_log'];

let t: TestDatabase;
let app: ReturnType<typeof buildTestApp>['app'];
const tokens: Record<string, string> = {};
const realIds: Record<string, string[]> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  const built = buildTestApp(t.db);
  app = built.app;
  for (const role of ROLES) tokens[role] = await demoToken(built.call, role);
  const ids = async (sql: string) => (await t.admin.query(sql)).rows.map((r) => String(r.id));
  realIds.orderId = await ids('select id from public.orders order by created_at limit 3');
  realIds.projectId = await ids('select id from public.projects order by created_at limit 3');
  realIds.goodsId = await ids('select id from public.goods order by created_at limit 3');
  realIds.redemptionId = await ids('select id from public.redemptions limit 3');
  realIds.offerId = await ids('select id from public.dispatch_offers limit 3');
  realIds.transferId = await ids('select id from public.point_transfers order by id limit 3');
  realIds.communityId = [SEED.sunshine, SEED.peace];
  realIds.userId = [SEED.residentWang, SEED.volunteerLi, MORE.volunteerZhao];
  realIds.residentId = [SEED.residentWang, MORE.residentChen];
});
afterAll(() => t.close());

/** count + hash of every watched table in public, in one round trip. */
async function snapshot(): Promise<Record<string, string>> {
  const tables = (
    await t.admin.query(
      `select table_name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' and not (table_name = any($1))
        order by table_name`,
      [UNWATCHED],
    )
  ).rows.map((r) => r.table_name as string);
  const sql = tables
    .map(
      (name) =>
        `select '${name}' as t, count(*)::text || ':' || coalesce(md5(string_agg(md5(x::text), ',' order by md5(x::text))), '') as h from public."${name}" x`,
    )
    .join(' union all ');
  return Object.fromEntries((await t.admin.query(sql)).rows.map((r) => [r.t, r.h]));
}

// ---------- values ----------

const controlChar = fc
  .integer({ min: 0, max: 0x7f })
  .filter((c) => (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f)
  .map((c) => String.fromCharCode(c));
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u202e反转',
    '😀👨‍👩‍👧‍👦🏳️‍🌈',
    '\ud800',
    'x\udfff',
    'null',
    "'; select pg_sleep(1); --",
    '<script>alert(1)</script>',
    '0',
    '-1',
    '1e309',
    '\\u0000',
    '%00',
  ),
  fc.tuple(fc.string({ maxLength: 5 }), controlChar, fc.string({ maxLength: 5 })).map((p) => p.join('')),
  fc.constantFrom('x'.repeat(100_000), '长'.repeat(100_000), `${'😀'.repeat(2000)}\u0000`),
);
const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 0.5, -0.5, 1.5, 1e21, -1e21, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2),
);
const isoDate = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-13-45T10:00:00+08:00',
    '2026-02-30T10:00:00+08:00',
    '2026-01-01T25:00:00Z',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00.000Z',
    '2026-01-01',
    'yesterday',
    '1700000000',
  ),
);
const nastyScalar = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: nastyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false) },
  { weight: 1, arbitrary: isoDate },
  { weight: 1, arbitrary: fc.uuid({ version: 4 }) },
);
const nastyValue = fc.oneof(
  { weight: 6, arbitrary: nastyScalar },
  { weight: 1, arbitrary: fc.array(nastyScalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), nastyScalar, { maxKeys: 3 }) },
);

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  items?: JsonSchema;
};

/** Values near what a field expects (in range, at and past its bounds), from its JSON schema. */
function nearValid(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.anyOf) return fc.oneof(...s.anyOf.map(nearValid));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.oneof(fc.constantFrom(...s.enum), fc.constant(`${String(s.enum[0])}x`));
  switch (s.type) {
    case 'integer':
    case 'number': {
      const min = s.minimum ?? -1e6;
      const max = s.maximum ?? 1e6;
      return fc.oneof(
        fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
        fc.constantFrom(min - 1, max + 1, min + 0.5, -max, max * 1000),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(s.items ? nearValid(s.items) : nastyScalar, { maxLength: (s.maxItems ?? 3) + 1 });
    case 'object':
      return objectOf(s);
    case 'string': {
      if (s.format === 'uuid') return fc.uuid({ version: 4 });
      if (s.format === 'date-time') return isoDate;
      const options: fc.Arbitrary<unknown>[] = [];
      if (s.pattern) options.push(fc.stringMatching(new RegExp(s.pattern)));
      if (s.maxLength !== undefined)
        options.push(fc.constantFrom('字'.repeat(s.maxLength), '字'.repeat(s.maxLength + 1)));
      if (s.minLength !== undefined && s.minLength > 0)
        options.push(fc.constant('字'.repeat(s.minLength - 1)));
      options.push(fc.string({ unit: 'grapheme', maxLength: 20 }));
      return fc.oneof(...options);
    }
    default:
      return nastyValue;
  }
}

/** A value the field accepts as far as its JSON schema tells (refinements aside). */
function validOf(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.anyOf) return fc.oneof(...s.anyOf.map(validOf));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'integer':
      return fc.integer({ min: Math.ceil(s.minimum ?? -1000), max: Math.floor(s.maximum ?? 1000) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(s.items ? validOf(s.items) : fc.string(), { maxLength: Math.min(s.maxItems ?? 3, 3) });
    case 'object':
      return fc
        .tuple(
          ...Object.entries(s.properties ?? {}).map(([key, field]) =>
            (s.required ?? []).includes(key)
              ? validOf(field).map((v) => [key, v] as const)
              : fc.option(validOf(field), { nil: undefined }).map((v) => [key, v] as const),
          ),
        )
        .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)));
    case 'string': {
      if (s.format === 'uuid') return fc.uuid({ version: 4 });
      if (s.format === 'date-time')
        return fc
          .date({ min: new Date('2030-01-01'), max: new Date('2031-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (s.format === 'uri') return fc.webUrl();
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      const min = s.minLength ?? 0;
      return fc
        .string({ unit: 'grapheme', minLength: min, maxLength: Math.min(s.maxLength ?? 30, min + 30) })
        .filter((v) => v.trim().length >= min && [...v].length <= (s.maxLength ?? 30));
    }
    default:
      return fc.string({ maxLength: 10 });
  }
}

const unreadable = fc.oneof(
  fc.tuple(fc.string({ maxLength: 5 }), controlChar, fc.string({ maxLength: 5 })).map((p) => p.join('')),
  fc.constantFrom('\u0000', '说明\u0000', '\ud800', 'a\udc00b', '\u001b[31m', '\u007f'),
);

/** A body the schema accepts but for one field: NUL-bearing text, or some other nasty value. */
function oneFieldOff(s: JsonSchema): fc.Arbitrary<unknown> {
  const objects = s.anyOf ? s.anyOf : [s];
  return fc.oneof(
    ...objects.map((o) =>
      fc
        .tuple(
          validOf(o) as fc.Arbitrary<Record<string, unknown>>,
          fc.constantFrom(...Object.keys(o.properties ?? { x: {} })),
          fc.oneof({ weight: 3, arbitrary: unreadable }, { weight: 2, arbitrary: nastyValue }),
        )
        .map(([body, key, value]) => ({ ...body, [key]: value })),
    ),
  );
}

/** An object over a schema's fields: each present or not, near valid or nasty, sometimes with extra fields. */
function objectOf(s: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(s.properties ?? {}).map(([key, field]) =>
    fc
      .option(fc.oneof({ weight: 3, arbitrary: nearValid(field) }, { weight: 2, arbitrary: nastyValue }), {
        freq: 5,
        nil: undefined,
      })
      .map((value) => [key, value] as const),
  );
  return fc
    .tuple(
      fc.tuple(...fields),
      fc.option(fc.dictionary(fc.string({ maxLength: 8 }), nastyValue, { maxKeys: 2 }), { freq: 3 }),
    )
    .map(([pairs, extra]) => {
      const object: Record<string, unknown> = { ...(extra ?? {}) };
      for (const [key, value] of pairs) if (value !== undefined) object[key] = value;
      return object;
    });
}

/** A body: mostly an object shaped like the schema, sometimes not an object or not JSON at all. */
function bodyOf(schema: z.ZodType): fc.Arbitrary<string | undefined> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return fc.oneof(
    { weight: 8, arbitrary: nearValid(json).map((v) => JSON.stringify(v)) },
    { weight: 8, arbitrary: oneFieldOff(json).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: nastyValue.map((v) => JSON.stringify(v)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        undefined,
        '',
        'null',
        '[]',
        '"text"',
        '42',
        '{',
        '{"a":',
        'not json',
        '\u0000',
        '{"__proto__":{"admin":true}}',
      ),
    },
  );
}

function queryOf(schema: z.ZodType): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return fc.oneof(nearValid(json), oneFieldOff(json));
}

const badParam = fc.oneof(
  fc.constantFrom(
    'abc',
    '0',
    '-1',
    '1.5',
    'null',
    'undefined',
    '00000000-0000-0000-0000-00000000000g',
    'c0000000-0000-4000-8000-0000000000011',
    '99999999999999999999999',
    "1' or '1'='1",
    '\u0000',
    '😀',
    'x'.repeat(300),
  ),
  fc.string({ minLength: 1, maxLength: 40 }),
);

/** A path parameter: a real id, a well-formed id of nothing, or not an id at all. */
function paramOf(name: string): fc.Arbitrary<{ value: string; real: boolean }> {
  const real = realIds[name] ?? [];
  const unknownId =
    name === 'transferId'
      ? fc.integer({ min: 10_000_000, max: 2 ** 31 - 1 }).map(String)
      : fc.uuid({ version: 4 });
  return fc.oneof(
    ...(real.length
      ? [{ weight: 2, arbitrary: fc.constantFrom(...real).map((value) => ({ value, real: true })) }]
      : []),
    { weight: 3, arbitrary: unknownId.map((value) => ({ value, real: false })) },
    { weight: 3, arbitrary: badParam.map((value) => ({ value, real: false })) },
  );
}

const goodKey = fc.constant(null).map(() => randomUUID());
const badKey = fc.constantFrom(undefined, '', 'short', 'has space in it', 'x'.repeat(101), '../../etc');

// ---------- the run ----------

interface Case {
  route: RouteKey;
  method: string;
  path: string;
  body: string | undefined;
  key: string | undefined;
  role: string;
}

interface Tally {
  requests: number;
  serverErrors: number;
  notRefused: number;
  leaks: number;
  stateChanges: number;
  failures: string[];
}
const tally: Tally = { requests: 0, serverErrors: 0, notRefused: 0, leaks: 0, stateChanges: 0, failures: [] };
const ALLOWED_LATIN = /Idempotency-Key|JSON|http|https/g;

async function send(one: Case, mustRefuse: boolean): Promise<void> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${tokens[one.role]}`,
  };
  if (one.key !== undefined) headers['idempotency-key'] = one.key;
  const response = await app.request(one.path, { method: one.method, headers, body: one.body });
  const text = await response.text();
  tally.requests++;
  const show = `${one.role} ${one.method} ${one.path.slice(0, 120)} key=${String(one.key).slice(0, 20)} body=${String(one.body).slice(0, 160)}`;
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  if (response.status >= 500) {
    tally.serverErrors++;
    tally.failures.push(`${one.route} ${response.status} ${text.slice(0, 120)} ← ${show}`);
    return;
  }
  if (mustRefuse && response.status < 400) {
    tally.notRefused++;
    tally.failures.push(`${one.route} ${response.status} (should be refused) ← ${show}`);
    return;
  }
  try {
    checkAnswer(one.method, one.path, response.status, parsed);
  } catch {
    tally.leaks++;
    tally.failures.push(`${one.route} ${response.status} off-shape ${text.slice(0, 160)} ← ${show}`);
    return;
  }
  if (response.status >= 400) {
    const message = (parsed as { error: { message: string } }).error.message;
    if (/[A-Za-z]{3,}/.test(message.replace(ALLOWED_LATIN, ''))) {
      tally.leaks++;
      tally.failures.push(`${one.route} ${response.status} English "${message}" ← ${show}`);
    }
  }
}

const routeKeys = Object.keys(RESPONSES) as RouteKey[];
const requestSpec = (route: RouteKey): RequestSpec | undefined =>
  (REQUESTS as Partial<Record<RouteKey, RequestSpec>>)[route];
const paramsOf = (route: RouteKey) => [...route.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
// biome-ignore lint/suspicious/noControlCharactersInRegex: what the API refuses
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const hasUnreadable = (v: unknown): boolean =>
  typeof v === 'string'
    ? CONTROL.test(v) || /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v)
    : v !== null &&
      typeof v === 'object' &&
      Object.entries(v).some(([k, x]) => CONTROL.test(k) || hasUnreadable(x));
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The generated cases of one route and role; a case that could succeed gets a bad key instead. */
function casesOf(
  route: RouteKey,
  role: string,
  runs: number,
  seed: number,
): { one: Case; mustRefuse: boolean }[] {
  const [method, pattern] = route.split(' ') as [string, string];
  const spec = requestSpec(route);
  const params = paramsOf(route);
  const write = method !== 'GET';
  const arb = fc.record({
    params: fc.tuple(...params.map(paramOf)),
    body: spec?.body
      ? bodyOf(spec.body)
      : write
        ? fc.option(nastyValue.map((v) => JSON.stringify(v))).map((v) => v ?? undefined)
        : fc.constant(undefined),
    query: spec?.query ? queryOf(spec.query) : fc.constant({}),
    key: fc.oneof({ weight: 4, arbitrary: goodKey }, { weight: 1, arbitrary: badKey }),
    badKey,
  });
  return fc.sample(arb, { numRuns: runs, seed }).flatMap((c): { one: Case; mustRefuse: boolean }[] => {
    let path = pattern;
    c.params.forEach((p, i) => {
      path = path.replace(`:${params[i]}`, encodeURIComponent(p.value));
    });
    if (!write) {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(c.query as Record<string, unknown>)) {
        search.set(k, typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
      }
      const query = search.toString();
      return [
        {
          one: {
            route,
            method,
            path: query ? `${path}?${query}` : path,
            body: undefined,
            key: undefined,
            role,
          },
          mustRefuse: false,
        },
      ];
    }
    // Could this request do what it asks? Then send it with a bad key: the fuzzer never wants a write to land.
    // Only what the schema keeps counts: an id in an extra field names nothing the route reads.
    let parsedBody: unknown = null;
    let bodyValid = !spec?.body;
    if (spec?.body && c.body !== undefined) {
      try {
        const raw = JSON.parse(c.body);
        const result = spec.body.safeParse(raw);
        bodyValid = result.success && !hasUnreadable(raw);
        parsedBody = result.data;
      } catch {
        bodyValid = false;
      }
    }
    // An id field holding a well-formed uuid of nothing (the fuzzer never puts a real id in a body).
    const namesNothing = Object.entries((parsedBody ?? {}) as Record<string, unknown>).some(
      ([key, value]) => /(^id|Ids?)$/.test(key) && UUID.test(JSON.stringify(value ?? '')),
    );
    if (
      route === 'POST /api/auth/dev' &&
      DEMO_KEYS.has((parsedBody as { identity?: string })?.identity ?? '')
    )
      return [];
    const couldSucceed = bodyValid && c.params.every((p) => p.real) && !namesNothing;
    const key =
      couldSucceed && route !== 'POST /api/auth/dev' && route !== 'POST /api/auth/wechat' ? c.badKey : c.key;
    return [{ one: { route, method, path, body: c.body, key, role }, mustRefuse: true }];
  });
}

const fuzzed = routeKeys.filter(
  (r) => !r.startsWith('GET') || paramsOf(r).length > 0 || requestSpec(r)?.query,
);
const writeRoutes = routeKeys.filter((r) => !r.startsWith('GET'));

describe('the request table', () => {
  it('has a body schema (or null: no body) for every write route, and only routes of the API', () => {
    const missing = writeRoutes.filter((r) => requestSpec(r)?.body === undefined);
    expect(missing).toEqual([]);
    const unknown = Object.keys(REQUESTS).filter((r) => !(r in RESPONSES));
    expect(unknown).toEqual([]);
  });
});

describe('fuzzing every route', () => {
  it(
    `refuses malformed requests with a Chinese 4xx and changes nothing (${RUNS} cases per route and role)`,
    async () => {
      const started = Date.now();
      const changed: string[] = [];
      let cases = 0;
      for (const [index, route] of fuzzed.entries()) {
        const before = await snapshot();
        for (const [r, role] of ROLES.entries()) {
          const generated = casesOf(route, role, RUNS, SEED_VALUE + index * 7 + r);
          cases += generated.length;
          for (const { one, mustRefuse } of generated) await send(one, mustRefuse);
        }
        const after = await snapshot();
        const diff = Object.keys(after).filter((table) => after[table] !== before[table]);
        if (diff.length) {
          tally.stateChanges++;
          changed.push(`${route}: ${diff.join(', ')}`);
        }
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `[fuzz] ${fuzzed.length} routes × ${RUNS} cases × ${ROLES.length} roles: ${cases} cases, ${tally.requests} requests, ` +
          `5xx ${tally.serverErrors}, accepted ${tally.notRefused}, English or off-shape ${tally.leaks}, ` +
          `routes with a state change ${tally.stateChanges}, seed ${SEED_VALUE}, ${seconds} s`,
      );
      const byKind = new Map<string, string>();
      for (const failure of tally.failures) {
        const [kind, example] = failure.split(' ← ') as [string, string];
        if (!byKind.has(kind)) byKind.set(kind, example);
      }
      expect({ changed, failures: Object.fromEntries([...byKind].slice(0, 40)) }).toEqual({
        changed: [],
        failures: {},
      });
    },
    Math.max(120_000, RUNS * 1_000),
  );
});
