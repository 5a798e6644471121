import { amountInCapitals, totalInCapitals } from '../../types/capitals'
import * as domain from '../../cloudfunctions/_core/domain/capitals'
import fs from 'node:fs'
import path from 'node:path'

describe('amount in capitals as printed on 数电票 (圆, 整)', () => {
  it.each([
    // the four printed examples of DOMAIN.md
    [69200, '陆佰玖拾贰圆整'],
    [24690, '贰佰肆拾陆圆玖角整'],
    [8586, '捌拾伍圆捌角陆分'],
    [1070, '壹拾圆零柒角整'],
    // 整 after 角, 零 for a zero 元 digit before 角, 零 for a zero 角 before 分
    [140950, '壹仟肆佰零玖圆伍角整'],
    [10050, '壹佰圆零伍角整'],
    [10005, '壹佰圆零伍分'],
    [1005, '壹拾圆零伍分'],
    [600714, '陆仟零柒圆壹角肆分'],
    [10000, '壹佰圆整'],
    [50, '伍角整'],
    [55, '伍角伍分'],
    [5, '伍分'],
    [0, '零圆整'],
    [1000100, '壹万零壹圆整'],
    [10010000, '壹拾万零壹佰圆整'],
    [100000000100, '壹拾亿零壹圆整'],
    [101000, '壹仟零壹拾圆整'],
    [10000000000, '壹亿圆整'],
    [1000050, '壹万圆零伍角整'],
  ])('%i fen -> %s', (fen, text) => {
    expect(amountInCapitals(fen)).toBe(text)
  })

  it('never writes 元', () => {
    for (let fen = 0; fen < 200000; fen += 7) expect(amountInCapitals(fen)).not.toContain('元')
  })

  it('ends with 整 exactly when there is no 分', () => {
    for (let fen = 0; fen < 20000; fen++) expect([fen, amountInCapitals(fen).endsWith('整')]).toEqual([fen, fen % 10 === 0])
  })

  it('refuses fractions of a fen, negatives and unsafe integers', () => {
    expect(() => amountInCapitals(1.5)).toThrow()
    expect(() => amountInCapitals(-1)).toThrow()
    expect(() => amountInCapitals(Number.MAX_SAFE_INTEGER + 2)).toThrow()
    expect(() => totalInCapitals(Number.NaN)).toThrow()
  })

  it('a red invoice total prints （负数） before the capitals of its absolute amount', () => {
    expect(totalInCapitals(-7050)).toBe('（负数）柒拾圆零伍角整')
    expect(totalInCapitals(7050)).toBe('柒拾圆零伍角整')
    expect(totalInCapitals(0)).toBe('零圆整')
  })
})

describe('one speller for server and mini-program', () => {
  it('the domain re-exports the shared speller (the same function, not a copy)', () => {
    expect(domain.amountInCapitals).toBe(amountInCapitals)
    expect(domain.totalInCapitals).toBe(totalInCapitals)
  })

  it('the mini-program imports it through @shared and keeps no speller of its own', () => {
    const src = path.join(__dirname, '../../miniprogram/src')
    const files: string[] = []
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(d, e.name))
        else if (/\.(ts|tsx)$/.test(e.name)) files.push(path.join(d, e.name))
      }
    }
    walk(src)
    const spellers = files.filter((f) => /零壹贰叁肆伍陆柒捌玖/.test(fs.readFileSync(f, 'utf8')))
    expect(spellers).toEqual([])
    expect(fs.readFileSync(path.join(src, 'services/format.ts'), 'utf8')).toMatch(/from '@shared\/capitals'/)
  })
})
