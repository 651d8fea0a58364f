import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileWxml, compileWxss } from './wechat-compilers';

// WeChat's compilers must refuse what DevTools would, or compiling the build proves nothing.
const dir = mkdtempSync(join(tmpdir(), 'wcc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('WeChat’s wcc and wcsc', () => {
  it('compile good WXML and WXSS', () => {
    expect(compileWxml(dir, [file('good.wxml', '<view class="a">{{x}}</view>')])).toContain('$gwx');
    expect(compileWxss(dir, [file('good.wxss', '.a { color: red; width: 10rpx; }')])).toHaveProperty('comm');
  });

  it('refuse an unclosed tag and a broken rule', () => {
    expect(() => compileWxml(dir, [file('bad.wxml', '<view>\n<text>{{x}}</text>\n</vie>\n')])).toThrow(
      /bad\.wxml/,
    );
    expect(() => compileWxss(dir, [file('bad.wxss', '.a { color: red;\n .b {{ }')])).toThrow(/bad\.wxss/);
  });
});
