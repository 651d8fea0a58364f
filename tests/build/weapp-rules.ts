// What WeChat refuses in a mini-program package that can be seen without DevTools,
// as pure functions over the built files, so each rule can be tried on a bad fixture
// (weapp-rules.test.ts) as well as on the real build (weapp.test.ts).

export interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string; iconPath?: string; selectedIconPath?: string }[] };
  requiredPrivateInfos?: string[];
  permission?: Record<string, { desc?: string }>;
}

/** One built file: its path relative to the package root, its size, and its text when it is script. */
export interface BuiltFile {
  path: string;
  size: number;
  text?: string;
}

export const MB = 1024 * 1024;
export const LIMITS = { main: 2 * MB, subpackage: 2 * MB, total: 20 * MB, tabIcon: 40 * 1024 };

/** APIs that fail unless app.json names them in requiredPrivateInfos (WeChat, since 2022-07-14). */
export const PRIVATE_APIS = [
  'getFuzzyLocation',
  'getLocation',
  'onLocationChange',
  'startLocationUpdate',
  'startLocationUpdateBackground',
  'chooseLocation',
  'choosePoi',
  'chooseAddress',
] as const;
// getFuzzyLocation can't be declared together with these.
const PRECISE = ['getLocation', 'onLocationChange', 'startLocationUpdate', 'startLocationUpdateBackground'];

export function pagesOf(app: AppJson): string[] {
  return [
    ...app.pages,
    ...(app.subPackages ?? []).flatMap((p) => p.pages.map((page) => `${p.root}/${page}`)),
  ];
}

/** Pages of app.json without their script, template or config (.wxss is optional). */
export function missingPageFiles(app: AppJson, files: BuiltFile[]): string[] {
  const have = new Set(files.map((f) => f.path));
  return pagesOf(app).flatMap((page) =>
    ['.js', '.wxml', '.json'].map((ext) => `${page}${ext}`).filter((f) => !have.has(f)),
  );
}

/** Calls of a declared-only API in the built scripts that app.json does not declare, and declarations WeChat refuses. */
export function undeclaredPrivateApis(app: AppJson, files: BuiltFile[]): string[] {
  const declared = new Set(app.requiredPrivateInfos ?? []);
  const problems: string[] = [];
  for (const file of files) {
    if (!file.path.endsWith('.js') || !file.text) continue;
    for (const api of PRIVATE_APIS) {
      // A call (`x.getLocation(`), not the name in Taro's table of API names.
      if (new RegExp(`[.\\]]\\s*${api}\\s*\\(`).test(file.text) && !declared.has(api)) {
        problems.push(`${file.path} calls ${api} without requiredPrivateInfos`);
      }
    }
  }
  if (declared.has('getFuzzyLocation') && PRECISE.some((api) => declared.has(api))) {
    problems.push('requiredPrivateInfos declares getFuzzyLocation together with a precise location API');
  }
  const unknown = [...declared].filter((api) => !(PRIVATE_APIS as readonly string[]).includes(api));
  if (unknown.length) problems.push(`requiredPrivateInfos names unknown APIs: ${unknown.join(', ')}`);
  const usesLocation = [...declared].some((api) => api !== 'chooseAddress');
  if (usesLocation && !app.permission?.['scope.userLocation']?.desc) {
    problems.push('location APIs are declared but permission.scope.userLocation.desc is missing');
  }
  return [...new Set(problems)];
}

/** Each package's size against WeChat's limits: main and every subpackage 2 MB, all together 20 MB. */
export function packageSizes(app: AppJson, files: BuiltFile[]) {
  const roots = (app.subPackages ?? []).map((p) => p.root.replace(/\/?$/, '/'));
  const sum = (list: BuiltFile[]) => list.reduce((total, f) => total + f.size, 0);
  return [
    {
      name: 'main',
      size: sum(files.filter((f) => !roots.some((r) => f.path.startsWith(r)))),
      limit: LIMITS.main,
    },
    ...roots.map((root) => ({
      name: root.slice(0, -1),
      size: sum(files.filter((f) => f.path.startsWith(root))),
      limit: LIMITS.subpackage,
    })),
    { name: 'total', size: sum(files), limit: LIMITS.total },
  ];
}

export function oversizedPackages(app: AppJson, files: BuiltFile[]): string[] {
  return packageSizes(app, files)
    .filter((p) => p.size > p.limit)
    .map((p) => `${p.name}: ${(p.size / 1024).toFixed(1)} KB > ${p.limit / 1024} KB`);
}

// webpack's global-object fallback, reached only where globalThis is missing, inside a
// try/catch: WeChat's refusal there is caught. Any other `new Function` is refused.
const WEBPACK_GLOBAL_FALLBACK = 'try{return this||new Function("return this")()}catch';

/** Scripts using eval( or new Function, which WeChat refuses at runtime. */
export function dynamicCode(files: BuiltFile[]): string[] {
  return files.flatMap((file) => {
    if (!file.path.endsWith('.js') || !file.text) return [];
    const text = file.text.split(WEBPACK_GLOBAL_FALLBACK).join('');
    const found: string[] = [];
    if (/(^|[^.\w$])eval\s*\(/.test(text)) found.push(`${file.path}: eval(`);
    if (/\bnew\s+Function\s*\(/.test(text)) found.push(`${file.path}: new Function`);
    return found;
  });
}

/** Tab bar icons that are missing or over WeChat's 40 KB. */
export function badTabIcons(app: AppJson, files: BuiltFile[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return (app.tabBar?.list ?? []).flatMap((tab) =>
    [tab.iconPath, tab.selectedIconPath].flatMap((icon) => {
      if (!icon) return [`${tab.pagePath}: icon missing from app.json`];
      const file = byPath.get(icon);
      if (!file) return [`${icon}: not in the build`];
      return file.size > LIMITS.tabIcon ? [`${icon}: ${(file.size / 1024).toFixed(1)} KB > 40 KB`] : [];
    }),
  );
}
