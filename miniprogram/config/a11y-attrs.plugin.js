/**
 * Taro plugin: lets WeChat's 读屏 attributes (aria-role, aria-label, aria-checked …) reach weapp.
 *
 * Taro's weapp templates (base.wxml) only print the attributes listed for each component, and
 * aria-* are not among them, so `<View aria-label='…'>` rendered nothing. The patch goes in twice
 * with the same content: into the template at build time and into the runtime's component table
 * (a11y-attrs.runtime.js), which maps each prop to its short template slot (p0, p1 …). H5 needs
 * none of this: there Taro's web components pass role / aria-* straight to the DOM.
 */
const path = require('node:path')
const { A11Y_PATCH } = require('./a11y-attrs.patch')

module.exports = (ctx) => {
  ctx.registerMethod({
    name: 'onSetupClose',
    fn(platform) {
      if (platform.platform !== 'weapp') return
      platform.template.mergeComponents(ctx, A11Y_PATCH)
      const runtime = path.resolve(__dirname, 'a11y-attrs.runtime.js')
      platform.runtimePath = [].concat(platform.runtimePath, runtime)
    },
  })
}
