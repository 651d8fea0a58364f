// `npm start`: the API as a plain Node server (a container, a VM) against Supabase
// or any Postgres 15+, serving the h5 build at / when it has been built.
import { createApp } from '../app';
import { createDeps } from '../deps';
import { startTickLoop } from './tick-loop';
import { startWebServer } from './web';

const deps = createDeps(process.env);
const server = await startWebServer(createApp(deps), {
  port: Number(process.env.PORT || 3000),
  hostname: process.env.HOST || '0.0.0.0',
});
console.log(`邻里帮 API listening on ${server.url}`);
// Safe with several instances: the tick claims due rows with skip locked.
const stopTicks = startTickLoop(deps.db, Number(process.env.TICK_INTERVAL_SECONDS ?? 60), {
  topK: deps.config.dispatchTopK,
  files: deps.files,
});

async function shutdown(): Promise<void> {
  stopTicks();
  await server.close();
  await deps.db.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
