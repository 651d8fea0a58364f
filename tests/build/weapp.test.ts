import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../functions/src/db/paths';

// Static checks of `npm run build:weapp`: WeChat DevTools can't run here, so we
// check what WeChat itself would reject: missing pages, oversized packages, eval.
const DIST = join(REPO_ROOT, 'miniprogram', 'dist', 'weapp');
const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024;
const TOTAL_LIMIT = 20 * 1024 * 1024;

interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] };
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

let app: AppJson;
let all: string[];
beforeAll(() => {
  if (!existsSync(join(DIST, 'app.json'))) throw new Error('run `npm run build:weapp` first');
  app = JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8'));
  all = files(DIST).map((f) => relative(DIST, f));
});

describe('weapp build', () => {
  it('has every page of app.json and of its subpackages, with script, template and config', () => {
    const pages = [
      ...app.pages,
      ...(app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
    ];
    expect(pages.length).toBeGreaterThanOrEqual(6);
    const missing = pages.flatMap((page) =>
      ['.js', '.wxml', '.json'].map((ext) => `${page}${ext}`).filter((f) => !all.includes(f)),
    );
    expect(missing).toEqual([]);
  });

  it('keeps role-specific pages in the volunteer, staff and store subpackages', () => {
    const roots = ['staff', 'store', 'volunteer'];
    expect((app.subPackages ?? []).map((p) => p.root).sort()).toEqual(roots);
    expect(app.pages.filter((p) => roots.some((root) => p.startsWith(`${root}/`)))).toEqual([]);
  });

  it('has the tab bar icons it names', () => {
    const icons = (app.tabBar?.list ?? []).flatMap((t) => [t.iconPath, t.selectedIconPath]);
    expect(icons.filter((icon) => !icon || !all.includes(icon))).toEqual([]);
  });

  it('keeps the main package under WeChat’s 2 MB limit', () => {
    const roots = (app.subPackages ?? []).map((p) => `${p.root}/`);
    const size = (list: string[]) => list.reduce((sum, f) => sum + statSync(join(DIST, f)).size, 0);
    const main = size(all.filter((f) => !roots.some((root) => f.startsWith(root))));
    const total = size(all);
    console.log(`weapp main package: ${(main / 1024).toFixed(1)} KB; total: ${(total / 1024).toFixed(1)} KB`);
    expect(main).toBeLessThanOrEqual(MAIN_PACKAGE_LIMIT);
    expect(total).toBeLessThanOrEqual(TOTAL_LIMIT);
  });

  it('contains no eval(, which WeChat refuses at runtime', () => {
    const offenders = all.filter(
      (f) => f.endsWith('.js') && /\beval\(/.test(readFileSync(join(DIST, f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
