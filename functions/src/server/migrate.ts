// `npm run db:migrate`: apply supabase/migrations to DATABASE_URL (add --seed for the demo street).
import pg from 'pg';
import { migrate, seed } from '../db/migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('Set DATABASE_URL to the database to migrate.');
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const applied = await migrate(client);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  if (process.argv.includes('--seed')) {
    await seed(client);
    console.log('demo street seeded');
  }
} finally {
  await client.end();
}
