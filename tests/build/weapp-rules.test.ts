import { describe, expect, it } from 'vitest';
import {
  type AppJson,
  type BuiltFile,
  badTabIcons,
  dynamicCode,
  MB,
  missingPageFiles,
  oversizedPackages,
  undeclaredPrivateApis,
} from './weapp-rules';

// Every rule of the weapp check fed a package WeChat would refuse, and a good one.
const app: AppJson = {
  pages: ['pages/index/index'],
  subPackages: [{ root: 'staff', pages: ['pages/console/index'] }],
  tabBar: {
    list: [{ pagePath: 'pages/index/index', iconPath: 'tab/home.png', selectedIconPath: 'tab/home-on.png' }],
  },
};
const page = (path: string, size = 100): BuiltFile[] =>
  ['.js', '.wxml', '.json'].map((ext) => ({ path: `${path}${ext}`, size, text: '' }));
const good: BuiltFile[] = [
  ...page('pages/index/index'),
  ...page('staff/pages/console/index'),
  { path: 'tab/home.png', size: 2000 },
  { path: 'tab/home-on.png', size: 2000 },
];
const script = (text: string): BuiltFile => ({ path: 'pages/index/index.js', size: text.length, text });

describe('weapp rules on fixtures', () => {
  it('pass a package WeChat accepts', () => {
    expect(missingPageFiles(app, good)).toEqual([]);
    expect(undeclaredPrivateApis(app, good)).toEqual([]);
    expect(oversizedPackages(app, good)).toEqual([]);
    expect(dynamicCode(good)).toEqual([]);
    expect(badTabIcons(app, good)).toEqual([]);
  });

  it('find a page without its template', () => {
    const files = good.filter((f) => f.path !== 'staff/pages/console/index.wxml');
    expect(missingPageFiles(app, files)).toEqual(['staff/pages/console/index.wxml']);
  });

  it('find a location call that app.json does not declare, and accept it once declared with a reason', () => {
    const files = [script('var t=r(1);t.default.getLocation({type:"gcj02"})')];
    expect(undeclaredPrivateApis(app, files)).toEqual([
      'pages/index/index.js calls getLocation without requiredPrivateInfos',
    ]);
    expect(undeclaredPrivateApis({ ...app, requiredPrivateInfos: ['getLocation'] }, files)).toEqual([
      'location APIs are declared but permission.scope.userLocation.desc is missing',
    ]);
    const declared = {
      ...app,
      requiredPrivateInfos: ['getLocation'],
      permission: { 'scope.userLocation': { desc: '签到' } },
    };
    expect(undeclaredPrivateApis(declared, files)).toEqual([]);
    // The name alone, as in Taro's table of API names, is no call.
    expect(undeclaredPrivateApis(app, [script('var apis=["getLocation","chooseLocation"]')])).toEqual([]);
  });

  it('refuse getFuzzyLocation declared together with getLocation', () => {
    const both = {
      ...app,
      requiredPrivateInfos: ['getFuzzyLocation', 'getLocation'],
      permission: { 'scope.userLocation': { desc: '签到' } },
    };
    expect(undeclaredPrivateApis(both, [])).toEqual([
      'requiredPrivateInfos declares getFuzzyLocation together with a precise location API',
    ]);
  });

  it('find a main package, a subpackage or the whole over its limit', () => {
    expect(oversizedPackages(app, [...good, { path: 'vendors.js', size: 2 * MB }])).toEqual([
      expect.stringMatching(/^main: /),
    ]);
    expect(oversizedPackages(app, [...good, { path: 'staff/big.js', size: 2 * MB }])).toEqual([
      expect.stringMatching(/^staff: /),
    ]);
    const many: AppJson = {
      ...app,
      subPackages: Array.from({ length: 11 }, (_, i) => ({ root: `p${i}`, pages: [] })),
    };
    const files = Array.from({ length: 11 }, (_, i) => ({ path: `p${i}/a.js`, size: 1.9 * MB }));
    expect(oversizedPackages(many, files)).toEqual([expect.stringMatching(/^total: /)]);
  });

  it('find eval( and new Function, but not webpack’s guarded global fallback', () => {
    expect(dynamicCode([script('var x=eval("1+1")')])).toEqual(['pages/index/index.js: eval(']);
    expect(dynamicCode([script('var f=new Function("a","return a")')])).toEqual([
      'pages/index/index.js: new Function',
    ]);
    expect(
      dynamicCode([script('r.g=function(){try{return this||new Function("return this")()}catch(n){}}')]),
    ).toEqual([]);
    expect(dynamicCode([script('obj.eval(1); evaluate(2)')])).toEqual([]);
  });

  it('find a tab icon over 40 KB or missing', () => {
    const big = good.map((f) => (f.path === 'tab/home.png' ? { ...f, size: 41 * 1024 } : f));
    expect(badTabIcons(app, big)).toEqual(['tab/home.png: 41.0 KB > 40 KB']);
    expect(
      badTabIcons(
        app,
        good.filter((f) => f.path !== 'tab/home-on.png'),
      ),
    ).toEqual(['tab/home-on.png: not in the build']);
  });
});
