import { parseTitle, printableSnapshot } from '../../cloudfunctions/_core/domain/invoice'
import { DomainError } from '../../cloudfunctions/_core/domain/errors'

const refusal = (f: () => unknown): { code: string; message: string } | null => {
  try {
    f()
    return null
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, message: e.message }
    throw e
  }
}
const TAX = '91420100177570439R'

describe('a title name is printed as registered', () => {
  it('strips zero-width characters before saving', () => {
    expect(parseTitle({ kind: 'personal', name: '\u200b王\u200d小明\ufeff' }).name).toBe('王小明')
    expect(parseTitle({ kind: 'enterprise', name: '武汉\u2060光谷科技有限公司', taxId: TAX }).name).toBe('武汉光谷科技有限公司')
  })

  it('keeps full-width brackets as typed', () => {
    expect(parseTitle({ kind: 'enterprise', name: '武汉光谷科技有限公司（东湖分公司）', taxId: TAX }).name).toBe('武汉光谷科技有限公司（东湖分公司）')
  })

  it('refuses direction controls with TITLE.NAME_INVALID and the reason', () => {
    expect(refusal(() => parseTitle({ kind: 'enterprise', name: '武汉\u202e司公限有技科', taxId: TAX }))).toEqual({
      code: 'TITLE.NAME_INVALID',
      message: expect.stringMatching(/^单位名称含有看不见的文字方向控制符/),
    })
  })

  it('refuses emoji with TITLE.NAME_INVALID and the reason', () => {
    expect(refusal(() => parseTitle({ kind: 'personal', name: '张三😀' }))).toEqual({
      code: 'TITLE.NAME_INVALID',
      message: '姓名不能含表情符号（😀），请按登记的名称填写',
    })
  })

  it('accepts a rare character the invoice fonts print (王𪚥), refuses one they do not', () => {
    expect(parseTitle({ kind: 'personal', name: '王𪚥' }).name).toBe('王𪚥')
    expect(refusal(() => parseTitle({ kind: 'personal', name: `王${String.fromCodePoint(0x30001)}` }))).toEqual({
      code: 'TITLE.NAME_INVALID',
      message: expect.stringContaining('（U+30001）发票字库无法打印'),
    })
  })

  it('an empty name after stripping is refused as empty', () => {
    expect(refusal(() => parseTitle({ kind: 'personal', name: '\u200b\u200b' }))?.code).toBe('TITLE.NAME_INVALID')
  })

  it('applies the same rule to the printed address and bank fields (TITLE.FIELD_INVALID)', () => {
    expect(parseTitle({ kind: 'enterprise', name: '公司', taxId: TAX, address: '武汉市\u200b珞喻路1号' }).address).toBe('武汉市珞喻路1号')
    expect(refusal(() => parseTitle({ kind: 'enterprise', name: '公司', taxId: TAX, bankName: '招商银行🏦' }))).toEqual({
      code: 'TITLE.FIELD_INVALID',
      message: '开户银行不能含表情符号（🏦），请按登记的名称填写',
    })
  })
})

describe('a stored title is checked again when an invoice is requested', () => {
  const stored = { kind: 'personal' as const, name: '王𪚥', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }

  it('passes a printable title through, removing zero-width characters saved under an older rule', () => {
    expect(printableSnapshot(stored)).toEqual(stored)
    expect(printableSnapshot({ ...stored, name: '王\u200b𪚥' }).name).toBe('王𪚥')
  })

  it('refuses a title that would print boxes or hide its order, and says to fix the title first', () => {
    expect(refusal(() => printableSnapshot({ ...stored, name: '张三😀' }))).toEqual({
      code: 'TITLE.NAME_INVALID',
      message: '姓名不能含表情符号（😀），请按登记的名称填写（请先修改该抬头再开票）',
    })
    expect(refusal(() => printableSnapshot({ ...stored, kind: 'enterprise', name: '公司', address: '武汉\u202e路' }))?.code).toBe('TITLE.FIELD_INVALID')
  })
})
