import { createRequire } from 'node:module';
import { relative } from 'node:path';

// WeChat's own WXML and WXSS compilers (wcc, wcsc) from the npm package
// miniprogram-compiler: the Linux binaries DevTools uses, run on every page of the build.
const require = createRequire(import.meta.url);
type Wcc = (
  root: string,
  files: string[],
  wxs: string[],
  options: { cut?: boolean; maxBuffer?: number },
) => string;
type Wcsc = (
  root: string,
  files: string[],
  options: { maxBuffer?: number },
) => Record<string, string> | Error;
const wcc = require('miniprogram-compiler/src/wcc') as Wcc;
const wcsc = require('miniprogram-compiler/src/wcsc') as Wcsc;
const maxBuffer = 64 * 1024 * 1024;

const strip = (root: string, files: string[], ext: string) =>
  files.filter((f) => f.endsWith(ext)).map((f) => relative(root, f).slice(0, -ext.length));

/** Compiles every .wxml (with the .wxs they use) as DevTools does; throws wcc's message on an error. */
export function compileWxml(root: string, files: string[]): string {
  const wxs = files.filter((f) => f.endsWith('.wxs')).map((f) => relative(root, f));
  return wcc(root, strip(root, files, '.wxml'), wxs, { maxBuffer });
}

/** Compiles every .wxss; throws wcsc's message on an error. Returns the compiled style of each file. */
export function compileWxss(root: string, files: string[]): Record<string, string> {
  const result = wcsc(root, strip(root, files, '.wxss'), { maxBuffer });
  if (result instanceof Error) throw result;
  return result;
}
