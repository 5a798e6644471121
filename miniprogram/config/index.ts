import path from 'node:path'
import webpack from 'webpack'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

const isH5 = process.env.TARO_ENV === 'h5'

// The contract types live beside the mini-program (../types) and are shared with the cloud functions.
const sharedTypesDir = path.resolve(__dirname, '..', '..', 'types')

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'wuhantong-miniprogram',
    date: '2026-11-28',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // weapp and h5 builds must not clean each other's output
    outputRoot: isH5 ? 'dist-h5' : 'dist',
    // weapp: lets aria-role / aria-label reach the templates (see the plugin's comment)
    plugins: [path.resolve(__dirname, 'a11y-attrs.plugin.js')],
    alias: {
      '@shared': sharedTypesDir,
    },
    // Values from .env files (TARO_APP_*) override these; the default keeps `process.env.X`
    // from reaching the weapp runtime, where `process` does not exist.
    env: {
      TARO_APP_CLOUD_ENV: JSON.stringify(process.env.TARO_APP_CLOUD_ENV ?? ''),
    },
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: {
      enable: true,
    },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      compile: { include: [sharedTypesDir] },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      // One script and one stylesheet, loaded at start: with a page per chunk, a tab not yet
      // opened could not load while the server was down, and the router kept showing the previous
      // page. Bundled, every page renders and shows its own error state with 重试. (H5 is the local
      // stand-in; the weapp package limits do not apply to it.)
      webpackChain(chain) {
        chain.plugin('h5-single-chunk').use(webpack.optimize.LimitChunkCountPlugin, [{ maxChunks: 1 }])
      },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      compile: { include: [sharedTypesDir] },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
