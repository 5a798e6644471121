import { luhnValid, maskCardNo, parseCardNo, parseNickname } from '../../cloudfunctions/_core/domain/card'

const VALID = '3104000012345673' // Luhn-valid 16 digits

describe('card number rule', () => {
  it('accepts 16 digits whose last digit is the Luhn check digit', () => {
    expect(luhnValid(VALID)).toBe(true)
    expect(parseCardNo(VALID)).toBe(VALID)
  })
  it('ignores spaces and dashes people type', () => {
    expect(parseCardNo('3104 0000 1234-5673')).toBe(VALID)
  })
  it('refuses a mistyped digit', () => {
    expect(() => parseCardNo('3104000012345674')).toThrow(expect.objectContaining({ code: 'CARD.NUMBER_INVALID' }))
  })
  it('refuses a swap of neighbouring digits', () => {
    expect(() => parseCardNo('3104000012345637')).toThrow(expect.objectContaining({ code: 'CARD.NUMBER_INVALID' }))
  })
  it.each(['', '310400001234567', '31040000123456730', '31040000abcd5673', '３１０４000012345673'])('refuses %p', (raw) => {
    expect(() => parseCardNo(raw)).toThrow(expect.objectContaining({ code: 'CARD.NUMBER_INVALID' }))
  })
  it('masks all but the first and last four digits for logs', () => {
    expect(maskCardNo(VALID)).toBe('3104********5673')
  })
})

describe('card nickname', () => {
  it('defaults to 武汉通 + last four digits', () => {
    expect(parseNickname(undefined, VALID)).toBe('武汉通5673')
    expect(parseNickname('   ', VALID)).toBe('武汉通5673')
  })
  it('keeps up to 20 characters, counting Chinese characters as one', () => {
    expect(parseNickname('我的通勤卡我的通勤卡我的通勤卡我的通勤卡', VALID)).toHaveLength(20)
    expect(() => parseNickname('我的通勤卡我的通勤卡我的通勤卡我的通勤卡多', VALID)).toThrow(expect.objectContaining({ code: 'CARD.NICKNAME_INVALID' }))
  })
  it('refuses markup and control characters', () => {
    expect(() => parseNickname('<b>卡</b>', VALID)).toThrow(expect.objectContaining({ code: 'CARD.NICKNAME_INVALID' }))
    expect(() => parseNickname('a\u0007b', VALID)).toThrow(expect.objectContaining({ code: 'CARD.NICKNAME_INVALID' }))
  })
})
