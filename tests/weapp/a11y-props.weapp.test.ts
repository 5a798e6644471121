import fs from 'node:fs'
import path from 'node:path'
import type * as A11yModule from '../../miniprogram/src/components/a11y'

/**
 * The accessibility props of components/a11y.ts on each platform, and the Taro plugin that lets
 * weapp's templates carry them. weapp reads aria-role / aria-label (WeChat's 读屏 attributes);
 * H5 needs role / aria-* / tabIndex, and an Input's label on its inner <input> (nativeProps).
 */

type A11y = typeof A11yModule

function load(env: 'weapp' | 'h5'): A11y {
  const before = process.env.TARO_ENV
  process.env.TARO_ENV = env
  let mod: A11y | undefined
  jest.isolateModules(() => {
    mod = require('../../miniprogram/src/components/a11y') as A11y
  })
  process.env.TARO_ENV = before
  return mod as A11y
}

describe('pressable', () => {
  it('gives weapp aria-role and aria-label, never the HTML role', () => {
    const a = load('weapp')
    expect(a.pressable('删除 武汉某某公司')).toEqual({ 'aria-label': '删除 武汉某某公司', 'aria-role': 'button' })
  })

  it('gives H5 role, aria-label and keyboard focus, never aria-role (invalid in HTML)', () => {
    const a = load('h5')
    const props = a.pressable('删除 武汉某某公司', 'link')
    expect(props).toEqual({ 'aria-label': '删除 武汉某某公司', role: 'link', tabIndex: 0 })
    expect(props).not.toHaveProperty('aria-role')
  })

  it('leaves the name to the visible text when the label is empty', () => {
    expect(load('h5').pressable('')).toEqual({ role: 'button', tabIndex: 0 })
  })

  it('says a radio is chosen with aria-checked and a tab with aria-selected', () => {
    const a = load('h5')
    expect(a.pressable('50 元', 'radio', { selected: true })['aria-checked']).toBe('true')
    expect(a.pressable('已开票', 'tab', { selected: false })['aria-selected']).toBe('false')
  })

  it('takes a disabled control out of the keyboard order and says so', () => {
    expect(load('h5').pressable('保存', 'button', { disabled: true })).toMatchObject({ 'aria-disabled': 'true', tabIndex: -1 })
  })
})

describe('inputLabel', () => {
  it('labels the inner <input> in H5 and keeps other native attributes', () => {
    expect(load('h5').inputLabel('卡号', { inputMode: 'numeric' })).toEqual({ nativeProps: { inputMode: 'numeric', 'aria-label': '卡号' } })
  })

  it('labels the native input in weapp', () => {
    expect(load('weapp').inputLabel('卡号')).toEqual({ 'aria-label': '卡号' })
  })
})

describe('the weapp template plugin', () => {
  it('adds the aria attributes to the components and registers its runtime half', () => {
    const plugin = require('../../miniprogram/config/a11y-attrs.plugin.js') as (ctx: unknown) => void
    const { A11Y_PATCH } = require('../../miniprogram/config/a11y-attrs.patch.js') as { A11Y_PATCH: Record<string, Record<string, string>> }
    let onSetupClose: ((platform: any) => void) | undefined
    plugin({ registerMethod: (m: { name: string; fn: (p: unknown) => void }) => m.name === 'onSetupClose' && (onSetupClose = m.fn) })
    const merged: unknown[] = []
    const platform = {
      platform: 'weapp',
      runtimePath: '@tarojs/plugin-platform-weapp/dist/runtime',
      template: { mergeComponents: (_c: unknown, patch: unknown) => merged.push(patch) },
    }
    onSetupClose?.(platform)
    expect(merged).toEqual([A11Y_PATCH])
    expect(A11Y_PATCH.View).toMatchObject({ 'aria-role': '', 'aria-label': '' })
    expect(platform.runtimePath).toEqual([
      '@tarojs/plugin-platform-weapp/dist/runtime',
      path.resolve(__dirname, '../../miniprogram/config/a11y-attrs.runtime.js'),
    ])
    // H5 is left alone: its components pass aria-* to the DOM already
    const h5 = { platform: 'h5', runtimePath: 'x', template: { mergeComponents: () => merged.push('h5') } }
    onSetupClose?.(h5)
    expect(merged).toHaveLength(1)
  })

  it('is registered in the mini-program build config', () => {
    const config = fs.readFileSync(path.resolve(__dirname, '../../miniprogram/config/index.ts'), 'utf8')
    expect(config).toContain("'a11y-attrs.plugin.js'")
  })
})

describe('design tokens', () => {
  const tokens = fs.readFileSync(path.resolve(__dirname, '../../miniprogram/src/styles/tokens.css'), 'utf8')
  const token = (name: string) => new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,6})`).exec(tokens)?.[1]?.toLowerCase()

  /** WCAG 2.x contrast ratio of two #rrggbb colours. */
  function contrast(a: string, b: string): number {
    const lum = (hex: string) => {
      const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      return 0.2126 * r + 0.7152 * g + 0.0722 * bl
    }
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p)
    return (x + 0.05) / (y + 0.05)
  }

  it('keeps every text colour at 4.5:1 or more on white and on the grey page', () => {
    for (const name of ['text-1', 'text-2', 'text-3', 'brand-strong', 'danger', 'warn', 'link']) {
      const c = token(name)
      expect(c).toBeDefined()
      expect({ name, white: contrast(c as string, '#ffffff') >= 4.5, page: contrast(c as string, '#ededed') >= 4.5 }).toEqual({ name, white: true, page: true })
    }
  })

  it('gives the JS copies of token colours the values of tokens.css', () => {
    const { COLOR } = require('../../miniprogram/src/styles/colors') as { COLOR: Record<string, string> }
    expect(COLOR.brandStrong.toLowerCase()).toBe(token('brand-strong'))
    expect(COLOR.danger.toLowerCase()).toBe(token('danger'))
  })
})
