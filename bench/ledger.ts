// `npm run bench:ledger`: N workers move points for a fixed time: staff adjustments
// (one transfer) and redeem-then-cancel (two transfers, stock out and back), all
// through the SQL functions, against a bare `select 1` run the same way.
// Usage: npm run bench:ledger -- [--workers 20] [--seconds 5]
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { benchOptions, row, runLoad, startBenchDatabase } from './support';

const STAFF = 'e0000000-0000-4000-8000-000000000008';
const COMMUNITY = 'c0000000-0000-4000-8000-000000000001';
const { workers, seconds } = benchOptions();
const bench = await startBenchDatabase(workers);

// One volunteer per worker with points to spend.
const admin = new pg.Client({ connectionString: bench.url });
await admin.connect();
const { rows } = await admin.query<{ id: string }>(
  `insert into public.users (nickname) select 'bench' || n from generate_series(1, $1) n returning id`,
  [workers],
);
const volunteers = rows.map((r) => r.id);
await admin.query(
  `insert into public.volunteer_profiles (user_id, community_id, real_name, phone, status, reviewed_by, reviewed_at)
   select id, $2, '压测', '13500000000', 'approved', $3, now() from unnest($1::uuid[]) id`,
  [volunteers, COMMUNITY, STAFF],
);
// A shelf of ten items, as a community store has: workers share them, so some redemptions queue on stock.
const shelf: string[] = [];
for (let i = 0; i < 10; i++) {
  const goods = await bench.db.rpc<{ id: string }>('save_goods', {
    p_actor: STAFF,
    p_key: randomUUID(),
    p_input: { communityId: COMMUNITY, name: `压测物品${i}`, pricePoints: 1, monthlyLimit: 100 },
  });
  await bench.db.rpc('add_stock', {
    p_actor: STAFF,
    p_goods_id: goods.id,
    p_quantity: 10000,
    p_note: '',
    p_key: randomUUID(),
  });
  shelf.push(goods.id);
}
for (const v of volunteers) {
  await bench.db.rpc('adjust_points', {
    p_actor: STAFF,
    p_user_id: v,
    p_amount: 10000,
    p_reason: '压测',
    p_key: randomUUID(),
  });
}

// Counted as the superuser: the API's role can't read tables, only call functions.
const transfers = async () =>
  Number((await admin.query('select count(*) as n from public.point_transfers')).rows[0].n);

const bare = await runLoad(workers, seconds, () => bench.db.pool.query('select 1'));
const before = await transfers();
let step = 0;
const ledger = await runLoad(workers, seconds, async (worker) => {
  const volunteer = volunteers[worker] as string;
  step += 1;
  if (step % 2 === 0) {
    await bench.db.rpc('adjust_points', {
      p_actor: STAFF,
      p_user_id: volunteer,
      p_amount: 1,
      p_reason: '压测调整',
      p_key: randomUUID(),
    });
    return;
  }
  // Each month's limit is 100 per item, so cancel right away: redeem + refund, two transfers.
  const r = await bench.db.rpc<{ id: string }>('redeem_goods', {
    p_actor: volunteer,
    p_goods_id: shelf[worker % shelf.length],
    p_quantity: 1,
    p_key: randomUUID(),
  });
  await bench.db.rpc('cancel_redemption', { p_actor: volunteer, p_redemption_id: r.id, p_key: randomUUID() });
});
const moved = (await transfers()) - before;
const { rows: sums } = await admin.query(
  'select coalesce(sum(amount), 0)::int as total from public.point_entries',
);
if (sums[0].total !== 0) throw new Error(`ledger out of balance after the run: ${sums[0].total}`);
await admin.end();

const perSecond = moved / seconds;
console.log(`${workers} workers, ${seconds} s each, embedded Postgres (fsync on), same process`);
console.log(row('select 1 (pool)', bare));
console.log(row('ledger operation', ledger));
console.log(`transfers written: ${moved} (${perSecond.toFixed(0)}/s); an operation is 1 or 2 transfers`);
console.log(
  `ledger: ${perSecond.toFixed(0)} transfers/s, p99 ${ledger.p99.toFixed(1)} ms, ${(ledger.p99 / bare.p99).toFixed(1)}x of bare round trip`,
);
await bench.stop();
