import { PAPER_ADDRESS_MAX, isSamePrintedTitle, isValidPhone, maskPhone, normalizePaperAddress, validatePaperAddress } from '../../types/aftersales-rules'
import type { PaperAddress } from '../../types/aftersales'
import type { TitleSnapshot } from '../../types/domain'

/** The rules the paper form and the cloud both apply (one module, imported by both). */
const OK: PaperAddress = {
  recipient: '李晓华',
  phone: '13812345678',
  province: '湖北省',
  city: '武汉市',
  district: '江汉区',
  detail: '解放大道 688 号',
  postalCode: '430000',
}

describe('paper address rules', () => {
  it('accepts a complete address, with or without a postal code', () => {
    expect(validatePaperAddress(OK)).toEqual({})
    expect(validatePaperAddress({ ...OK, postalCode: null })).toEqual({})
    expect(validatePaperAddress({ ...OK, postalCode: '' })).toEqual({})
  })

  it('names every missing field with what to fill in', () => {
    const errors = validatePaperAddress({ recipient: ' ', phone: '', province: '', city: '', district: '', detail: '' })
    expect(Object.keys(errors).sort()).toEqual(['city', 'detail', 'district', 'phone', 'province', 'recipient'])
    expect(errors.recipient).toBe('请填写收件人')
    expect(errors.phone).toBe('请填写联系电话')
  })

  it('refuses a wrong phone and says which forms are accepted', () => {
    expect(validatePaperAddress({ ...OK, phone: '1381234' }).phone).toContain('11 位手机号')
    expect(validatePaperAddress({ ...OK, phone: '12812345678' }).phone).toBeDefined()
    expect(validatePaperAddress({ ...OK, phone: '138 1234 5678' }).phone).toBeUndefined()
    expect(validatePaperAddress({ ...OK, phone: '027-85551234' }).phone).toBeUndefined()
  })

  it('refuses a postal code that is not 6 digits', () => {
    expect(validatePaperAddress({ ...OK, postalCode: '4300' }).postalCode).toContain('6 位数字')
    expect(validatePaperAddress({ ...OK, postalCode: '43000a' }).postalCode).toBeDefined()
  })

  it('refuses zero-width and control characters and over-long text, counting characters not bytes', () => {
    expect(validatePaperAddress({ ...OK, recipient: '李\u200b晓华' }).recipient).toContain('无法识别的字符')
    expect(validatePaperAddress({ ...OK, detail: '解放大道\u202e688' }).detail).toBeDefined()
    expect(validatePaperAddress({ ...OK, detail: '号'.repeat(PAPER_ADDRESS_MAX.detail) }).detail).toBeUndefined()
    expect(validatePaperAddress({ ...OK, detail: '号'.repeat(PAPER_ADDRESS_MAX.detail + 1) }).detail).toContain(`最多 ${PAPER_ADDRESS_MAX.detail} 个字`)
    // a rare character outside the BMP is one character
    expect(validatePaperAddress({ ...OK, recipient: '𠀾'.repeat(PAPER_ADDRESS_MAX.recipient) }).recipient).toBeUndefined()
  })

  it('normalizes what is stored: trimmed, phone without spaces, empty postal code as null', () => {
    expect(normalizePaperAddress({ ...OK, recipient: ' 李晓华 ', phone: '138 1234 5678', postalCode: ' ' })).toEqual({ ...OK, postalCode: null })
  })
})

describe('phones', () => {
  it('masks mobiles and landlines, keeping the last 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('138 1234 5678')).toBe('138****5678')
    expect(maskPhone('027-85551234')).toBe('027-****1234')
    expect(maskPhone(null)).toBe('')
  })

  it('accepts mobiles and landlines with area code, refuses the rest', () => {
    expect(isValidPhone('13912345678')).toBe(true)
    expect(isValidPhone('02785551234')).toBe(true)
    expect(isValidPhone('027-85551234-123')).toBe(true)
    expect(isValidPhone('85551234')).toBe(false)
    expect(isValidPhone('1391234567')).toBe(false)
  })
})

describe('换开 must change what is printed', () => {
  const title: TitleSnapshot = {
    kind: 'enterprise',
    name: '武汉测试科技有限公司',
    taxId: '91420100MA4KXXXX3X',
    address: null,
    phone: null,
    bankName: null,
    bankAccount: null,
  }

  it('treats a title printing the same as no correction (spaces aside)', () => {
    expect(isSamePrintedTitle(title, { ...title })).toBe(true)
    expect(isSamePrintedTitle(title, { ...title, name: ' 武汉测试科技有限公司 ', address: '' })).toBe(true)
  })

  it('treats any printed change (name, tax ID, kind, bank) as a correction', () => {
    expect(isSamePrintedTitle(title, { ...title, name: '武汉测试科技有限责任公司' })).toBe(false)
    expect(isSamePrintedTitle(title, { ...title, taxId: '91420100MA4KXXXX4Y' })).toBe(false)
    expect(isSamePrintedTitle(title, { ...title, kind: 'personal' })).toBe(false)
    expect(isSamePrintedTitle(title, { ...title, bankAccount: '6222000011112222' })).toBe(false)
  })
})
