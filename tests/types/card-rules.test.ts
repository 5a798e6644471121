import { CARD_NO_LENGTH, cardNoProblem, luhnValid, normalizeCardNo } from '../../types/card-rules'
import { parseCardNo } from '../../cloudfunctions/_core/domain/card'

/** The card-number rule the card form, the 补开 form and the cloud all apply (one module). */
const VALID = '3104000012345673'

describe('card number rule', () => {
  it('accepts 16 digits with the right Luhn check digit, spaces and dashes ignored', () => {
    expect(cardNoProblem(VALID)).toBeNull()
    expect(cardNoProblem('3104 0000 1234 5673')).toBeNull()
    expect(normalizeCardNo('3104-0000-1234-5673')).toBe(VALID)
    expect(luhnValid(VALID)).toBe(true)
  })

  it('says what is wrong: empty, not digits, wrong length (with the count), failed check digit', () => {
    expect(cardNoProblem('')).toBe('请输入卡号')
    expect(cardNoProblem('3104abcd12345673')).toBe('卡号只能是数字')
    expect(cardNoProblem('310400001234')).toContain(`${CARD_NO_LENGTH} 位数字，当前 12 位`)
    expect(cardNoProblem('3104000012345674')).toContain('校验未通过')
  })

  it('agrees with the cloud on every number: what the form accepts, the domain accepts', () => {
    for (const n of [VALID, '3104000098765430', '3104000012345674', '1234', '31040000123456730']) {
      const client = cardNoProblem(n) === null
      let server = true
      try {
        parseCardNo(n)
      } catch {
        server = false
      }
      expect([n, client]).toEqual([n, server])
    }
  })
})
