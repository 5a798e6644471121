import { buildInvoiceDocument, issueDateYmd, qrPayload, sandboxCheckCode } from '../../cloudfunctions/_core/domain/invoice'
import { buildRedDocument } from '../../cloudfunctions/_core/domain/correction'
import { loadConfig } from '../../cloudfunctions/_core/config'

const NO = '26422000000000012345'

describe('the 数电票 QR payload (DOMAIN.md: 01,32,,<number>,<amount>,<YYYYMMDD>,,<check>)', () => {
  it('has the eight comma-separated fields, not a URL', () => {
    const p = qrPayload({ invoiceNo: NO, totalFen: 69200, issuedAt: '2026-11-28T04:00:00Z', checkCode: 'a1b2' })
    expect(p).toBe(`01,32,,${NO},692.00,20261128,,A1B2`)
    expect(p.split(',')).toHaveLength(8)
    expect(p).not.toMatch(/https?:|\?/)
  })

  it('writes the amount with exactly 2 decimals, including whole yuan and single fen', () => {
    const amount = (fen: number) => qrPayload({ invoiceNo: NO, totalFen: fen, issuedAt: '2026-11-28T04:00:00Z' }).split(',')[4]
    expect([5, 50, 100, 7050, 100000000].map(amount)).toEqual(['0.05', '0.50', '1.00', '70.50', '1000000.00'])
    expect(amount(-7050)).toBe('-70.50')
  })

  it('dates the invoice in Asia/Shanghai (an evening UTC issue is the next day in Wuhan)', () => {
    expect(issueDateYmd('2026-11-28T15:59:59Z')).toBe('20261128')
    expect(issueDateYmd('2026-11-28T16:00:00Z')).toBe('20261129')
    expect(qrPayload({ invoiceNo: NO, totalFen: 100, issuedAt: '2026-12-31T17:30:00Z' }).split(',')[5]).toBe('20270101')
  })

  it('takes the provider check as given; without one, the sandbox computes its own, deterministically', () => {
    const base = { invoiceNo: NO, totalFen: 5000, issuedAt: '2026-11-28T04:00:00Z' }
    const sandbox = qrPayload(base).split(',')[7]
    expect(sandbox).toMatch(/^[0-9A-F]{4}$/)
    expect(sandbox).toBe(sandboxCheckCode(NO, '50.00', '20261128'))
    expect(qrPayload(base)).toBe(qrPayload(base))
    // another number, amount or date gives another check
    const others = [
      sandboxCheckCode('26422000000000012346', '50.00', '20261128'),
      sandboxCheckCode(NO, '50.01', '20261128'),
      sandboxCheckCode(NO, '50.00', '20261129'),
    ]
    expect(others).not.toContain(sandbox)
    expect(qrPayload({ ...base, checkCode: 'BEEF' }).endsWith(',,BEEF')).toBe(true)
  })

  it('refuses what would make an unreadable payload', () => {
    expect(() => qrPayload({ invoiceNo: '12345', totalFen: 100, issuedAt: '2026-11-28T04:00:00Z' })).toThrow()
    expect(() => qrPayload({ invoiceNo: NO, totalFen: 1.5, issuedAt: '2026-11-28T04:00:00Z' })).toThrow()
    expect(() => qrPayload({ invoiceNo: NO, totalFen: 100, issuedAt: 'yesterday' })).toThrow()
    expect(() => qrPayload({ invoiceNo: NO, totalFen: 100, issuedAt: '2026-11-28T04:00:00Z', checkCode: 'XYZ1' })).toThrow()
    expect(() => qrPayload({ invoiceNo: NO, totalFen: 100, issuedAt: '2026-11-28T04:00:00Z', checkCode: '12345' })).toThrow()
  })

  it('blue and red documents carry it, the red one with its negative total and the provider check', () => {
    const seller = loadConfig({}).invoice.seller
    const input = {
      invoiceNo: NO,
      issuedAt: '2026-11-28T04:00:00Z',
      title: { kind: 'personal' as const, name: '张三', taxId: null, address: null, phone: null, bankName: null, bankAccount: null },
      orders: [{ id: 'WT1', amountFen: 5000, cardNo: '3104000012345673' }],
      seller,
    }
    expect(buildInvoiceDocument({ ...input, checkCode: '0F3C' }).qrPayload).toBe(`01,32,,${NO},50.00,20261128,,0F3C`)
    const red = buildRedDocument({ ...input, invoiceNo: '26422000000000012399', blueInvoiceNo: NO, confirmationNo: '26429000000000000001', checkCode: '9A9A' })
    expect(red.qrPayload).toBe('01,32,,26422000000000012399,-50.00,20261128,,9A9A')
  })
})
