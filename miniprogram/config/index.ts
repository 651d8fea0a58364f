import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import type { Compiler } from 'webpack';

const sharedDir = path.resolve(__dirname, '../../shared');

// The API origin baked into the build. h5 is served by the API itself (same origin);
// weapp needs an absolute, ICP-filed https domain in production (TARO_APP_API_BASE).
const apiBase =
  process.env.TARO_APP_API_BASE ?? (process.env.TARO_ENV === 'h5' ? '' : 'http://127.0.0.1:3000');

const isH5 = process.env.TARO_ENV === 'h5';

/**
 * h5 only: writes `<file>.br` (quality 11) and `<file>.gz` (level 9) next to each text asset at
 * build time, so the server sends the smallest encoding without compressing per request.
 */
class PrecompressPlugin {
  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack;
    const br = promisify(brotliCompress);
    const gz = promisify(gzip);
    compiler.hooks.thisCompilation.tap('PrecompressPlugin', (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        { name: 'PrecompressPlugin', stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER },
        async (assets) => {
          const work = Object.entries(assets)
            .filter(([name, source]) => /\.(?:js|css|html|svg|ico|json)$/.test(name) && source.size() >= 1024)
            .map(async ([name, source]) => {
              const input = source.buffer();
              const [brotli, gzipped] = await Promise.all([
                br(input, {
                  params: {
                    [constants.BROTLI_PARAM_QUALITY]: 11,
                    [constants.BROTLI_PARAM_SIZE_HINT]: input.length,
                  },
                }),
                gz(input, { level: 9 }),
              ]);
              compilation.emitAsset(`${name}.br`, new sources.RawSource(brotli));
              compilation.emitAsset(`${name}.gz`, new sources.RawSource(gzipped));
            });
          await Promise.all(work);
        },
      );
    });
  }
}

export default defineConfig<'webpack5'>(() => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'linlibang',
    date: '2026-11-24',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // LLB_H5_OUT builds h5 elsewhere (a benchmark's or a test's own copy); weapp ignores it.
    outputRoot: (isH5 && process.env.LLB_H5_OUT) || `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: { API_BASE: JSON.stringify(apiBase) },
    alias: { '@llb/shared': path.join(sharedDir, 'src') },
    // h5's favicon, at /favicon.ico (browsers ask for it even without a <link>).
    copy: {
      patterns: isH5
        ? [{ from: 'src/assets/favicon.ico', to: `${process.env.LLB_H5_OUT || 'dist/h5'}/favicon.ico` }]
        : [],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: [sharedDir] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      compile: { include: [sharedDir] },
      router: { mode: 'hash' },
      // Content hashes in every file name: the server caches them for a year (immutable).
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'chunk/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
        ignoreOrder: true,
      },
      webpackChain(chain) {
        // Taro splits only initial chunks, so every lazily loaded page carried its own copy of
        // @tarojs/components, zod and the shared code (~250 KB each). Split async chunks too: a page
        // chunk holds that page, and what pages share is fetched once.
        chain.optimization.splitChunks({
          chunks: 'all',
          hidePathInfo: true,
          minSize: 20_000,
          maxAsyncRequests: 30,
          maxInitialRequests: 30,
          cacheGroups: {
            default: false,
            defaultVendors: false,
            common: { name: false, minChunks: 2, priority: 1, reuseExistingChunk: true },
            vendors: {
              name: false,
              minChunks: 1,
              test: /[\\/]node_modules[\\/]/,
              priority: 10,
              reuseExistingChunk: true,
            },
          },
        });
        chain.plugin('precompress').use(PrecompressPlugin);
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };
  return config;
});
