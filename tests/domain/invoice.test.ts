import {
  buildInvoiceDocument,
  canTransition,
  checkMergeable,
  formatInvoiceNo,
  fromStatesOf,
  INVOICE_NO_PATTERN,
  nextRetryAt,
  parseEmail,
  parseTitle,
} from '../../cloudfunctions/_core/domain/invoice'
import { checkTaxId, maskTaxId, usccCheckChar } from '../../cloudfunctions/_core/domain/tax-id'

describe('taxpayer ID (GB 32100-2015)', () => {
  it('accepts an 18-character ID whose check character matches', () => {
    expect(checkTaxId('91420100MA4K0000XJ')).toMatchObject({ formatOk: true, checksumOk: true })
    // a published example of the standard
    expect(usccCheckChar('91350100M000100Y4')).toBe('3')
  })
  it('flags a failing checksum for confirmation instead of refusing it', () => {
    expect(checkTaxId('91420100MA4K0000XK')).toMatchObject({ formatOk: true, checksumOk: false, message: expect.stringContaining('确认无误可继续提交') })
  })
  it('treats letters outside the charset (I, O, S, V, Z) in an 18-character ID as a checksum failure', () => {
    expect(checkTaxId('9142010OMA4K0000XJ').checksumOk).toBe(false)
  })
  it('accepts older 15 to 20 character IDs on format alone', () => {
    expect(checkTaxId('420102123456789')).toMatchObject({ formatOk: true, checksumOk: null })
    expect(checkTaxId('42010212345678901234')).toMatchObject({ formatOk: true, checksumOk: null })
  })
  it.each(['', '12345678901234', '420102123456789012345', '91420100MA4K0000X-', '９１４２'])('refuses %p on format', (id) => {
    expect(checkTaxId(id).formatOk).toBe(false)
  })
  it('normalizes case and spaces', () => {
    expect(checkTaxId(' 91420100ma4k0000xj ').taxId).toBe('91420100MA4K0000XJ')
  })
  it('masks for lists and logs', () => {
    expect(maskTaxId('91440300MA5F00136T')).toBe('9144**********136T')
  })
})

describe('数电票 numbering', () => {
  it('is 20 digits: year, 42 for Hubei, channel, 15-digit sequence', () => {
    const no = formatInvoiceNo(2026, '42', '1', 123)
    expect(no).toBe('26421000000000000123')
    expect(no).toMatch(INVOICE_NO_PATTERN)
  })
  it.each([0, -1, 1e15, 1.5])('refuses sequence %p', (seq) => {
    expect(() => formatInvoiceNo(2026, '42', '1', seq)).toThrow()
  })
})

describe('invoice status transitions', () => {
  it('goes requested -> issuing -> issued, with failed retried through issuing', () => {
    expect(canTransition('requested', 'issuing')).toBe(true)
    expect(canTransition('issuing', 'issued')).toBe(true)
    expect(canTransition('issuing', 'failed')).toBe(true)
    expect(canTransition('failed', 'issuing')).toBe(true)
  })
  it('never changes an issued invoice (corrections are red-letter invoices)', () => {
    for (const to of ['requested', 'issuing', 'failed', 'issued'] as const) expect(canTransition('issued', to)).toBe(false)
  })
  it('derives the from-states of a move', () => {
    expect(fromStatesOf('issuing').sort()).toEqual(['failed', 'requested'])
  })
  it('backs off 1, 2, 5 ... minutes, then hourly', () => {
    const t0 = new Date('2026-01-01T00:00:00Z')
    expect(nextRetryAt(t0, 1).toISOString()).toBe('2026-01-01T00:01:00.000Z')
    expect(nextRetryAt(t0, 3).toISOString()).toBe('2026-01-01T00:05:00.000Z')
    expect(nextRetryAt(t0, 99).toISOString()).toBe('2026-01-01T01:00:00.000Z')
  })
})

describe('merge caps', () => {
  const now = new Date('2026-11-28T00:00:00Z')
  const caps = { maxOrders: 3, maxTotalFen: 10000, windowDays: 30 }
  const order = (id: string, over: Partial<Parameters<typeof checkMergeable>[0][number]> = {}) => ({
    id,
    openid: 'me',
    status: 'paid',
    amountFen: 2000,
    paidAt: '2026-11-20T00:00:00Z',
    invoiceId: null,
    cardNo: '3104000012345673',
    cardNickname: '卡',
    ...over,
  })
  it('sums paid, owned, uninvoiced orders within the window', () => {
    expect(checkMergeable([order('a'), order('b')], 'me', ['a', 'b'], caps, now)).toBe(4000)
  })
  it.each([
    [[order('a')], ['a', 'b'], 'INVOICE.ORDER_NOT_FOUND'],
    [[order('a', { openid: 'other' })], ['a'], 'INVOICE.ORDER_NOT_FOUND'],
    [[order('a', { status: 'created', paidAt: null })], ['a'], 'INVOICE.ORDER_NOT_PAID'],
    [[order('a', { invoiceId: 'INV1' })], ['a'], 'INVOICE.ORDER_ALREADY_INVOICED'],
    [[order('a', { paidAt: '2026-10-01T00:00:00Z' })], ['a'], 'INVOICE.ORDER_OUT_OF_WINDOW'],
    [[order('a'), order('b'), order('c'), order('d')], ['a', 'b', 'c', 'd'], 'INVOICE.CAP_EXCEEDED'],
    [[order('a', { amountFen: 6000 }), order('b', { amountFen: 5000 })], ['a', 'b'], 'INVOICE.CAP_EXCEEDED'],
    [[], [], 'INVOICE.NO_ORDERS'],
    [[order('a')], ['a', 'a'], 'COMMON.BAD_REQUEST'],
  ])('refuses %#: %s', (orders, ids, code) => {
    expect(() => checkMergeable(orders as never, 'me', ids, caps, now)).toThrow(expect.objectContaining({ code }))
  })
})

describe('titles and e-mail', () => {
  it('requires a tax ID for an enterprise title and keeps the bank details', () => {
    expect(() => parseTitle({ kind: 'enterprise', name: '公司' })).toThrow(expect.objectContaining({ code: 'TITLE.TAX_ID_INVALID' }))
    expect(parseTitle({ kind: 'enterprise', name: ' 公司 ', taxId: '91420100MA4K0000XJ', bankAccount: '622200' })).toMatchObject({
      name: '公司',
      bankAccount: '622200',
      taxIdChecksumOk: true,
    })
  })
  it('keeps a personal title to the name (no bank details)', () => {
    expect(parseTitle({ kind: 'personal', name: '张三', bankAccount: '622200' })).toMatchObject({ taxId: null, bankAccount: null })
  })
  it.each(['a@b', 'a b@c.com', 'a@@b.com', 'x@y..com', `${'a'.repeat(65)}@b.com`])('refuses e-mail %p', (e) => {
    expect(() => parseEmail(e)).toThrow(expect.objectContaining({ code: 'PROFILE.EMAIL_INVALID' }))
  })
})

describe('invoice document', () => {
  it('is an ordinary invoice for a prepaid-card top-up: 不征税, tax 0, capitals, remarks with cards and orders', () => {
    const doc = buildInvoiceDocument({
      invoiceNo: '26421000000000000001',
      issuedAt: '2026-11-28T04:00:00Z',
      title: { kind: 'personal', name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
      orders: [
        { id: 'WT1', amountFen: 5000, cardNo: '3104000012345673' },
        { id: 'WT2', amountFen: 2050, cardNo: '3104000012345673' },
      ],
      seller: {
        name: '武汉城市一卡通有限公司',
        taxId: '91420100MA4K0000XJ',
        address: '',
        phone: '',
        bankName: '',
        bankAccount: '',
        issuer: '系统',
        taxCode: '6010000000000000000',
        itemName: '*预付卡销售和充值*武汉通卡充值',
        verifyBaseUrl: 'https://example.invalid',
      },
    })
    expect(doc.items.map((i) => [i.taxCode, i.rateLabel, i.taxFen, i.amountFen])).toEqual([
      ['6010000000000000000', '不征税', 0, 5000],
      ['6010000000000000000', '不征税', 0, 2050],
    ])
    expect(doc).toMatchObject({ amountFen: 7050, taxFen: 0, totalFen: 7050, totalCapital: '柒拾圆零伍角整', typeLabel: '电子发票（普通发票）' })
    expect(doc.remarks).toContain('3104000012345673')
    expect(doc.remarks).toContain('WT1、WT2')
    expect(doc.qrPayload).toMatch(/^01,32,,26421000000000000001,70\.50,20261128,,[0-9A-F]{4}$/)
  })
})
