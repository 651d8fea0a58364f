// `npm run bench:notify`: delivery latency of subscribe messages on the Node
// server, from the write (a volunteer's POST …/accept) to the fake WeChat on
// 127.0.0.1 receiving the message, over `--messages` writes (default 240),
// `--concurrency` at a time (default 4). The sender runs from the after-write
// hook only (the tick loop is off), against an embedded Postgres of its own.
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../functions/src/app';
import { issueSession } from '../functions/src/auth/session';
import { createDeps } from '../functions/src/deps';
import { startWebServer } from '../functions/src/server/web';
import { fakeSubscribeMessages, startFakeWechat } from '../tests/support/fake-wechat';
import { freePort } from '../tests/support/free-port';
import { SEED } from '../tests/support/ids';
import { createResidents, createVolunteers, placeOrder, publishProject } from '../tests/support/orders';
import { startBenchDatabase } from './support';

const { values } = parseArgs({ options: { messages: { type: 'string' }, concurrency: { type: 'string' } } });
const N = Number(values.messages ?? 240);
const CONCURRENCY = Number(values.concurrency ?? 4);
const SECRET = 'bench-session-secret-at-least-32-characters';

const database = await startBenchDatabase(20);
const fake = await startFakeWechat();
const wx = fakeSubscribeMessages(fake, 'wx-bench', 'bench-secret');
const admin = new pg.Pool({ connectionString: database.url, max: 4 });
const deps = createDeps(
  {
    SESSION_SECRET: SECRET,
    WECHAT_APP_ID: 'wx-bench',
    WECHAT_APP_SECRET: 'bench-secret',
    WECHAT_API_BASE: fake.url,
    WECHAT_TEMPLATES: JSON.stringify({
      events: {
        order_accepted: {
          templateId: 'tmplAccepted',
          keywords: {
            thing1: { from: 'projectTitle', type: 'thing' },
            time2: { from: 'windowStart', type: 'time' },
            name3: { from: 'volunteerName', type: 'name' },
          },
        },
      },
    }),
  },
  database.db,
);
const server = await startWebServer(createApp(deps), {
  port: await freePort(),
  hostname: '127.0.0.1',
  h5Dir: '/nonexistent',
});

try {
  const project = await publishProject(database.db);
  const residents = await createResidents(admin, N);
  const volunteers = await createVolunteers(admin, N, { prefix: '压测志愿者' });
  await admin.query(`update public.users set wechat_openid = 'o-' || id where id = any($1::uuid[])`, [
    residents,
  ]);
  await admin.query(
    `insert into public.subscription_credits (user_id, template_id, credits) select id, 'tmplAccepted', 1 from unnest($1::uuid[]) id`,
    [residents],
  );
  const orders: string[] = [];
  for (const resident of residents) {
    orders.push((await placeOrder(database.db, project.id, { resident, startInMinutes: 120 })).id);
  }
  const tokens = await Promise.all(
    volunteers.map(
      async (v) =>
        (
          await issueSession(
            { userId: v, roles: [{ role: 'volunteer', communityId: SEED.sunshine, streetId: SEED.street }] },
            SECRET,
            1,
          )
        ).token,
    ),
  );
  const started = new Map<string, number>();
  const responded: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        const orderId = orders[i] as string;
        const t0 = performance.now();
        started.set(orderId, t0);
        const response = await fetch(`${server.url}/api/orders/${orderId}/accept`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[i]}`, 'idempotency-key': crypto.randomUUID() },
        });
        if (response.status !== 200)
          throw new Error(`accept ${i}: ${response.status} ${await response.text()}`);
        responded.push(performance.now() - t0);
      }
    }),
  );
  const end = Date.now() + 10_000;
  while (wx.delivered().length < N && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const orderOf = (page: unknown) => String(page).split('id=')[1] ?? '';
  const latencies = wx.received
    .filter((r) => started.has(orderOf(r.body.page)))
    .map((r) => r.at - (started.get(orderOf(r.body.page)) as number))
    .sort((a, b) => a - b);
  const at = (list: number[], q: number) =>
    list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? Number.NaN;
  responded.sort((a, b) => a - b);
  console.log(
    `bench:notify — ${N} writes (POST …/accept, ${CONCURRENCY} at a time) on the Node server → subscribeMessage.send at the fake WeChat`,
  );
  console.log(
    `  messages received: ${latencies.length} (sent once each: ${new Set(wx.received.map((r) => r.body.touser)).size === latencies.length})`,
  );
  console.log(
    `  write → WeChat received: p50 ${at(latencies, 0.5).toFixed(1)} ms  p95 ${at(latencies, 0.95).toFixed(1)} ms  max ${at(latencies, 1).toFixed(1)} ms`,
  );
  console.log(
    `  write → HTTP answer:     p50 ${at(responded, 0.5).toFixed(1)} ms  p95 ${at(responded, 0.95).toFixed(1)} ms`,
  );
  console.log(`  stable_token requests: ${wx.tokenRequests.length}`);
} finally {
  await new Promise((r) => setTimeout(r, 300)); // let the last after-write run finish
  await server.close();
  await admin.end();
  await fake.close();
  await database.stop();
}
