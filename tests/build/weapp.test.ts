import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';
import {
  type AppJson,
  type BuiltFile,
  badTabIcons,
  dynamicCode,
  missingPageFiles,
  oversizedPackages,
  packageSizes,
  pagesOf,
  undeclaredPrivateApis,
} from './weapp-rules';
import { compileWxml, compileWxss } from './wechat-compilers';

// Checks of `npm run build:weapp`: WeChat DevTools can't run here, so we check what
// WeChat itself would refuse (weapp-rules.ts, each rule tried on a bad fixture in
// weapp-rules.test.ts) and compile every template and style with WeChat's own compilers.
const DIST = join(REPO_ROOT, 'miniprogram', 'dist', 'weapp');

function paths(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? paths(join(dir, e.name)) : [join(dir, e.name)],
  );
}

let app: AppJson;
let all: string[];
let files: BuiltFile[];
beforeAll(() => {
  if (!existsSync(join(DIST, 'app.json'))) throw new Error('run `npm run build:weapp` first');
  app = JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8'));
  all = paths(DIST);
  files = all.map((f) => {
    const path = relative(DIST, f);
    return { path, size: statSync(f).size, text: path.endsWith('.js') ? readFileSync(f, 'utf8') : undefined };
  });
});

describe('weapp build', () => {
  it('has every page of app.json and of its subpackages, with script, template and config', () => {
    expect(pagesOf(app).length).toBeGreaterThanOrEqual(6);
    expect(missingPageFiles(app, files)).toEqual([]);
  });

  it('keeps role-specific pages in the volunteer, staff and store subpackages', () => {
    const roots = ['staff', 'store', 'volunteer'];
    expect((app.subPackages ?? []).map((p) => p.root).sort()).toEqual(roots);
    expect(app.pages.filter((p) => roots.some((root) => p.startsWith(`${root}/`)))).toEqual([]);
  });

  it('declares every location API it calls in requiredPrivateInfos, with a reason for the permission', () => {
    expect(undeclaredPrivateApis(app, files)).toEqual([]);
  });

  it('asks for the privacy agreement itself and has the 隐私政策 page', () => {
    expect((app as { __usePrivacyCheck__?: boolean }).__usePrivacyCheck__).toBe(true);
    expect(app.pages).toContain('pages/privacy/index');
  });

  it('keeps the main package and each subpackage under 2 MB, and all under 20 MB', () => {
    const sizes = packageSizes(app, files).map((p) => `${p.name} ${(p.size / 1024).toFixed(1)} KB`);
    console.log(`weapp packages: ${sizes.join('; ')}`);
    expect(oversizedPackages(app, files)).toEqual([]);
  });

  it('contains no eval( or new Function, which WeChat refuses at runtime', () => {
    expect(dynamicCode(files)).toEqual([]);
  });

  it('has the tab bar icons it names, each within 40 KB', () => {
    expect(badTabIcons(app, files)).toEqual([]);
  });

  it('compiles every WXML template with WeChat’s wcc', () => {
    const started = Date.now();
    const wxml = all.filter((f) => f.endsWith('.wxml') || f.endsWith('.wxs'));
    expect(compileWxml(DIST, wxml)).toContain('$gwx');
    console.log(`wcc: ${wxml.length} files in ${Date.now() - started} ms`);
  });

  it('compiles every WXSS style with WeChat’s wcsc', () => {
    const started = Date.now();
    const wxss = all.filter((f) => f.endsWith('.wxss'));
    const compiled = compileWxss(DIST, wxss);
    expect(Object.keys(compiled).filter((k) => k.endsWith('.wxss')).length).toBeGreaterThan(0);
    console.log(`wcsc: ${wxss.length} files in ${Date.now() - started} ms`);
  });
});
