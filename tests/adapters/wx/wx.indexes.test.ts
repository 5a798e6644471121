import { indexTableMarkdown, missingIndexes, WX_COLLECTIONS, WX_INDEXES } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'

describe('WX_INDEXES', () => {
  it('declares the unique indexes that make retries idempotent', () => {
    const unique = WX_INDEXES.filter((i) => i.unique).map((i) => `${i.collection}(${i.fields.map((f) => f.field).join(',')})`)
    expect(unique).toEqual([
      'cards(openid,cardNo)',
      'topup_orders(openid,clientToken)',
      'invoice_titles(defaultSlot)',
      'invoices(openid,clientToken)',
      // corrections (换开): one in progress per invoice, idempotent per clientToken; sandbox form numbers
      'invoice_corrections(activeKey)',
      'invoice_corrections(openid,clientToken)',
      'provider_sandbox_red_confirmations(confirmationNo)',
      // after-sales: idempotent per clientToken; one active paper request per invoice
      'aftersales_applications(openid,clientToken)',
      'paper_requests(openid,clientToken)',
      'paper_requests(activeKey)',
      'tickets(openid,clientToken)',
      // exports (issue 8): one export per confirmation
      'export_jobs(openid,clientToken)',
      // batch invoicing (issue 8): one job per confirmation
      'batch_jobs(openid,clientToken)',
    ])
  })

  it('names only known collections, with unique index names per collection', () => {
    const known: string[] = Object.values(WX_COLLECTIONS)
    for (const i of WX_INDEXES) expect(known).toContain(i.collection)
    const names = WX_INDEXES.map((i) => `${i.collection}.${i.name}`)
    expect(new Set(names).size).toBe(names.length)
  })

  it('reports what an environment lacks, and does not accept a non-unique index for a unique one', () => {
    const existing = WX_INDEXES.filter((i) => !(i.collection === 'topup_orders' && i.name === 'status_createdAt')).map((i) =>
      i.collection === 'topup_orders' && i.name === 'uniq_openid_clientToken' ? { ...i, unique: false } : i,
    )
    expect(missingIndexes(existing).map((i) => i.name)).toEqual(['uniq_openid_clientToken', 'status_createdAt'])
    expect(missingIndexes(WX_INDEXES)).toEqual([])
  })

  it('declares every collection the adapters write, and each collection at most once', () => {
    const names: string[] = Object.values(WX_COLLECTIONS)
    expect(new Set(names).size).toBe(names.length)
    for (const c of [
      'invoice_titles',
      'user_settings',
      'invoices',
      'invoice_orders',
      'invoice_events',
      'mail_outbox',
      'subscribe_quota',
      'provider_sandbox_requests',
      'provider_sandbox_sequence',
    ]) {
      expect(names).toContain(c)
    }
  })

  it('renders a Markdown table for the docs', () => {
    const table = indexTableMarkdown()
    expect(table.split('\n')).toHaveLength(WX_INDEXES.length + 2)
    expect(table).toContain('| cards | uniq_openid_cardNo | openid asc, cardNo asc | yes |')
  })
})
