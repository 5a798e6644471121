import { buildStatement, canExportTransition, csvLine, ledgerRow, windowStart, yuan, type LedgerInvoice } from '../../cloudfunctions/_core/domain/ledger'
import { invoiceNumbersIn } from '../../types/verify-rules'

const title = {
  kind: 'enterprise' as const,
  name: '武汉示例科技有限公司',
  taxId: '91420100MA4K0000XJ',
  address: null,
  phone: null,
  bankName: null,
  bankAccount: null,
}
const inv = (over: Partial<LedgerInvoice> = {}): LedgerInvoice => ({
  id: 'INV1',
  invoiceNo: '26421000000000000001',
  issuedAt: '2026-03-31T17:00:00.000Z', // 2026-04-01 in China
  title,
  amountFen: 7050,
  color: 'blue',
  originalId: null,
  reversedById: null,
  replacedById: null,
  orderIds: ['O1', 'O2'],
  cards: [{ cardNo: '3104000012345673' }, { cardNo: '3104000012345673' }],
  ...over,
})

describe('the ledger', () => {
  it('writes one row per invoice with the China date, the signed amount and the chain by number', () => {
    const numbers: Record<string, string> = { INV0: '26421000000000000000', RED: '26421000000000000002', NEW: '26421000000000000003' }
    const row = ledgerRow(
      inv({ reversedById: 'RED', replacedById: 'NEW' }),
      [{ kind: 'pdf', name: 'invoices/x.pdf', sha256: 'a'.repeat(64) }],
      (id) => numbers[id] ?? null,
    )
    expect(row).toMatchObject({
      issueDate: '2026-04-01',
      amount: '70.50',
      color: '蓝字',
      cards: '3104000012345673',
      orders: 'O1 O2',
      pdfSha256: 'a'.repeat(64),
      xmlSha256: '',
    })
    expect(row.chain).toBe('已被 26421000000000000002 红冲；换开为 26421000000000000003')
    const red = ledgerRow(inv({ id: 'RED', color: 'red', originalId: 'INV0' }), [], (id) => numbers[id] ?? null)
    expect(red).toMatchObject({ amount: '-70.50', color: '红字', chain: '红冲 26421000000000000000' })
    expect(yuan(5)).toBe('0.05')
  })

  it('quotes CSV fields and defuses formulas, but not negative amounts', () => {
    expect(csvLine(['a,b', 'say "hi"', '=HYPERLINK("x")', '-70.50', '+1', '@x', 'plain'])).toBe(
      '"a,b","say ""hi""","\'=HYPERLINK(""x"")",-70.50,\'+1,\'@x,plain\r\n',
    )
  })
})

describe('export job states', () => {
  it('runs, resumes a dead runner, finishes or fails; done is final', () => {
    expect(canExportTransition('queued', 'running')).toBe(true)
    expect(canExportTransition('running', 'running')).toBe(true)
    expect(canExportTransition('failed', 'running')).toBe(true)
    expect(canExportTransition('done', 'running')).toBe(false)
    expect(canExportTransition('queued', 'done')).toBe(false)
  })
})

describe('the year statement', () => {
  it('adds up by China month and keeps the fewest days left of what can still be invoiced', () => {
    const now = new Date('2026-06-15T00:00:00.000Z')
    const months = buildStatement(
      2026,
      [
        { paidAt: '2026-01-31T16:30:00.000Z', amountFen: 1000, invoiced: false }, // 2026-02-01 in China
        { paidAt: '2026-02-10T00:00:00.000Z', amountFen: 2000, invoiced: true },
        { paidAt: '2026-02-20T00:00:00.000Z', amountFen: 500, invoiced: false },
        { paidAt: '2025-12-31T15:00:00.000Z', amountFen: 9999, invoiced: false }, // 2025 in China
      ],
      365,
      now,
    )
    expect(months[0].toppedUpFen).toBe(0)
    expect(months[1]).toEqual({ month: 2, toppedUpFen: 3500, invoicedFen: 2000, notInvoicedFen: 1500, invoiceableFen: 1500, minDaysLeft: 231 })
    const late = buildStatement(2026, [{ paidAt: '2026-02-10T00:00:00.000Z', amountFen: 100, invoiced: false }], 30, now)
    expect(late[1]).toMatchObject({ notInvoicedFen: 100, invoiceableFen: 0, minDaysLeft: null }) // the window has passed
  })
})

describe('验真 helpers', () => {
  it('cuts time into windows', () => {
    expect(windowStart(new Date('2026-06-15T10:59:59.000Z'), 3600)).toBe('2026-06-15T10:00:00.000Z')
  })

  it('finds 20-digit numbers in plain text and in PDF UTF-16 hex strings, no longer runs', () => {
    const hex = (s: string) => `<FEFF${[...s].map((c) => c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}>`
    const pdf = `%PDF-1.7 /Title ${hex('电子发票 26421000000000000007')} 123456789012345678901 <fphm>26421000000000000008</fphm>`
    expect(invoiceNumbersIn(new Uint8Array(Buffer.from(pdf, 'latin1')))).toEqual(['26421000000000000007', '26421000000000000008'])
  })
})
