import {
  buildRedDocument,
  buyerMustConfirm,
  canTransitionCorrection,
  checkTitleChanged,
  correctionFromStatesOf,
  correctionVerdict,
  moneyInvariantViolations,
  RED_TYPE_LABEL,
  redRemarks,
  sameTitle,
  type InvariantInvoice,
} from '../../cloudfunctions/_core/domain/correction'
import { DomainError } from '../../cloudfunctions/_core/domain/errors'
import { loadConfig } from '../../cloudfunctions/_core/config'
import type { TitleSnapshot } from '../../types/domain'

const person: TitleSnapshot = { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null }
const company: TitleSnapshot = {
  kind: 'enterprise',
  name: '武汉示例科技有限公司',
  taxId: '91420100MA4K0000XJ',
  address: null,
  phone: null,
  bankName: null,
  bankAccount: null,
}
const limits = { maxPerInvoice: 1, windowDays: 365 }
const issued = { status: 'issued' as const, color: 'blue' as const, reversedById: null, correctionCount: 0 }
const NOW = new Date('2026-06-01T00:00:00Z')

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e)
  }
  return null
}

describe('correction statuses', () => {
  it('goes requested -> (awaiting_buyer ->) red_issuing -> reissuing -> done, and never back', () => {
    expect(canTransitionCorrection('requested', 'red_issuing')).toBe(true)
    expect(canTransitionCorrection('requested', 'awaiting_buyer')).toBe(true)
    expect(canTransitionCorrection('awaiting_buyer', 'red_issuing')).toBe(true)
    expect(canTransitionCorrection('red_issuing', 'reissuing')).toBe(true)
    expect(canTransitionCorrection('reissuing', 'done')).toBe(true)
    expect(canTransitionCorrection('done', 'requested')).toBe(false)
    expect(canTransitionCorrection('reissuing', 'red_issuing')).toBe(false)
  })

  it('lets a refusal or a lapse end it only before the red invoice exists', () => {
    expect(correctionFromStatesOf('lapsed').sort()).toEqual(['awaiting_buyer', 'requested'])
    expect(correctionFromStatesOf('refused').sort()).toEqual(['awaiting_buyer', 'requested'])
    expect(canTransitionCorrection('red_issuing', 'lapsed')).toBe(false)
    expect(canTransitionCorrection('lapsed', 'red_issuing')).toBe(false)
  })
})

describe('who may correct (eligibility)', () => {
  it('allows an issued, unreversed blue invoice within the count and the window', () => {
    const v = correctionVerdict(issued, '2026-05-01T00:00:00Z', limits, NOW)
    expect(v).toMatchObject({ allowed: true, remaining: 1, routeToApplication: false, windowEndsAt: '2027-05-01T00:00:00.000Z' })
  })

  it('refuses red, reversed and not-yet-issued invoices without routing to an application', () => {
    expect(correctionVerdict({ ...issued, color: 'red' }, null, limits, NOW)).toMatchObject({
      allowed: false,
      code: 'CORRECTION.NOT_ALLOWED',
      routeToApplication: false,
    })
    expect(correctionVerdict({ ...issued, reversedById: 'X' }, null, limits, NOW)).toMatchObject({ allowed: false, code: 'CORRECTION.NOT_ALLOWED' })
    expect(correctionVerdict({ ...issued, status: 'issuing' }, null, limits, NOW)).toMatchObject({ allowed: false, code: 'CORRECTION.NOT_ALLOWED' })
  })

  it('routes the person to an application beyond the count', () => {
    const v = correctionVerdict({ ...issued, correctionCount: 1 }, '2026-05-01T00:00:00Z', limits, NOW)
    expect(v).toMatchObject({ allowed: false, code: 'CORRECTION.LIMIT_REACHED', routeToApplication: true, remaining: 0 })
    expect(v.reason).toMatch(/申请/)
  })

  it("routes the person to an application beyond the window of the chain's original issue date", () => {
    const v = correctionVerdict(issued, '2025-05-31T23:59:59Z', limits, NOW)
    expect(v).toMatchObject({ allowed: false, code: 'CORRECTION.WINDOW_PASSED', routeToApplication: true })
  })

  it('takes the limits from configuration', () => {
    const cfg = loadConfig({ CORRECTION_MAX_PER_INVOICE: '2', CORRECTION_WINDOW_DAYS: '30' }).afterSales
    const v = correctionVerdict(
      { ...issued, correctionCount: 1 },
      '2026-05-15T00:00:00Z',
      { maxPerInvoice: cfg.correctionMaxPerInvoice, windowDays: cfg.correctionWindowDays },
      NOW,
    )
    expect(v).toMatchObject({ allowed: true, remaining: 1 })
  })
})

describe('the new title', () => {
  it('refuses a correction that changes nothing printed (re-send is the answer)', () => {
    expect(codeOf(() => checkTitleChanged(company, { ...company }))).toBe('CORRECTION.SAME_TITLE')
    expect(codeOf(() => checkTitleChanged(company, { ...company, name: ' 武汉示例科技有限公司 ' }))).toBe('CORRECTION.SAME_TITLE')
  })

  it('accepts another name, tax id or printed bank details', () => {
    expect(codeOf(() => checkTitleChanged(person, company))).toBeNull()
    expect(codeOf(() => checkTitleChanged(company, { ...company, taxId: '91420100MA4K0001XX' }))).toBeNull()
    expect(codeOf(() => checkTitleChanged(company, { ...company, bankAccount: '6222000011112222' }))).toBeNull()
    expect(sameTitle(company, { ...company })).toBe(true)
    expect(sameTitle(company, person)).toBe(false)
  })
})

describe('who confirms the red-letter form', () => {
  it('a natural person never, an enterprise only when it booked the invoice', () => {
    expect(buyerMustConfirm(person, true)).toBe(false)
    expect(buyerMustConfirm(company, false)).toBe(false)
    expect(buyerMustConfirm(company, true)).toBe(true)
  })
})

describe('the red document', () => {
  const seller = loadConfig({}).invoice.seller
  const doc = buildRedDocument({
    invoiceNo: '26421000000000000002',
    issuedAt: '2026-06-01T04:00:00Z',
    title: company,
    orders: [
      { id: 'WT1', amountFen: 5000, cardNo: '3104000012345673' },
      { id: 'WT2', amountFen: 2050, cardNo: '3104000012345673' },
    ],
    seller,
    blueInvoiceNo: '26421000000000000001',
    confirmationNo: '26429000000000000001',
  })

  it('shows negative quantities, amounts and totals, and says 红字', () => {
    expect(doc.typeLabel).toBe(RED_TYPE_LABEL)
    expect(doc.typeLabel).toContain('红字')
    expect(doc.items.map((i) => [i.quantity, i.unitPriceFen, i.amountFen, i.taxFen])).toEqual([
      [-1, 5000, -5000, 0],
      [-1, 2050, -2050, 0],
    ])
    expect([doc.amountFen, doc.taxFen, doc.totalFen]).toEqual([-7050, 0, -7050])
    expect(doc.totalCapital).toBe('（负数）柒拾圆零伍角整')
    // the QR carries the red invoice's negative total, as its printed figures do
    expect(doc.qrPayload).toMatch(/^01,32,,26421000000000000002,-70\.50,20260601,,[0-9A-F]{4}$/)
  })

  it('names the blue invoice and the confirmation in the remarks, exactly', () => {
    expect(doc.remarks).toBe('被红冲蓝字数电发票号码：26421000000000000001 红字发票信息确认单编号：26429000000000000001')
    expect(redRemarks('A', 'B')).toBe('被红冲蓝字数电发票号码：A 红字发票信息确认单编号：B')
  })

  it('reverses the blue buyer as issued', () => {
    expect(doc.buyer).toMatchObject({ name: company.name, taxId: company.taxId })
  })
})

describe('the money invariant', () => {
  const orders = [
    { id: 'O1', openid: 'u1', status: 'paid', amountFen: 5000 },
    { id: 'O2', openid: 'u1', status: 'paid', amountFen: 2000 },
    { id: 'O3', openid: 'u1', status: 'paid', amountFen: 999 },
  ]
  const inv = (over: Partial<InvariantInvoice>): InvariantInvoice => ({
    id: 'I',
    openid: 'u1',
    color: 'blue',
    status: 'issued',
    amountFen: 7000,
    orderIds: ['O1', 'O2'],
    reversedById: null,
    ...over,
  })

  it('holds for a completed chain: blue reversed by red, replaced by a new blue', () => {
    const chain = [inv({ id: 'B1', reversedById: 'R1' }), inv({ id: 'R1', color: 'red' }), inv({ id: 'B2' })]
    expect(moneyInvariantViolations(chain, orders)).toEqual([])
  })

  it('catches an order with two live blue invoices or none', () => {
    expect(moneyInvariantViolations([inv({ id: 'B1' }), inv({ id: 'B2' })], orders).join('\n')).toMatch(/2 live blue/)
    expect(moneyInvariantViolations([inv({ id: 'B1', reversedById: 'R1' }), inv({ id: 'R1', color: 'red' })], orders).join('\n')).toMatch(/0 live blue/)
  })

  it('catches a fen of difference between invoices and orders', () => {
    const v = moneyInvariantViolations([inv({ id: 'B1', amountFen: 7001 })], orders)
    expect(v.join('\n')).toMatch(/7001 fen, invoiced orders 7000 fen/)
  })
})
