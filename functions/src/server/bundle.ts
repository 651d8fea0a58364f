import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../db/paths';

// Bundled code is ESM, while pg and others still require() Node built-ins. Aliased:
// bundled modules (pdfkit) import createRequire themselves, under its own name.
const REQUIRE_SHIM =
  "import { createRequire as shimCreateRequire } from 'node:module'; const require = shimCreateRequire(import.meta.url);";

/** Bundles a server entry with everything it imports (shared/ included) into one ESM file for Node 20. */
export async function bundleEntry(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Optional native driver pg tries to load; we use the pure-JS one.
    external: ['pg-native'],
    banner: { js: REQUIRE_SHIM },
    logLevel: 'warning',
  });
}
