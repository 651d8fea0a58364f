// Vercel entry: every /api/* request is rewritten here (see ../vercel.json) and
// handed to the one Hono app. Runs on Node, with Supabase as the database.
import { handle } from '@hono/node-server/vercel';
import { createApp } from '../src/app';
import { createDeps } from '../src/deps';

export const config = { api: { bodyParser: false } };

export default handle(createApp(createDeps(process.env)));
