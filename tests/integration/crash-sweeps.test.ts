import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import { LEASE_OWNER } from '../../cloudfunctions/_core/adapters/local/sqlite.leases'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * What the invoice worker picks up after a crash between two writes, over the local cloud (HTTP
 * in, SQLite on disk, the provider sandbox, mail over SMTP to the capture server).
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_RESEND_COOLDOWN_SECONDS: '0' } })
}, 30_000)
afterAll(() => cloud.close())

const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0

async function issued(c: TestCloud, me: Client, email: string): Promise<{ id: string }> {
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 3000, clientToken: token() })
  await fetch(`${c.url}/sandbox/pay/confirm`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
  })
  await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  const title = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const { invoice } = await me.ok('invoice', 'request', { orderIds: [order.id], titleId: title.id, email, clientToken: token() })
  return eventually(async () => {
    const { invoice: v } = await me.ok('invoice', 'get', { invoiceId: invoice.id })
    return v.status === 'issued' ? v : null
  })
}

describe('an invoice marked issued whose first e-mail was never queued', () => {
  it('is queued and mailed once by the worker after the crash window, and not again', async () => {
    const me = await cloud.login(`漏发${++seq}`)
    const to = `missed${seq}@example.com`
    cloud.smtp.failNext(1) // the first send fails, so nothing reached the mailbox
    const inv = await issued(cloud, me, to)
    await eventually(async () => {
      const row = cloud.runtime.db.prepare('SELECT attempts FROM mail_outbox WHERE invoice_id = ?').get(inv.id) as { attempts: number } | undefined
      return row?.attempts === 1
    })
    // the process died between marking the invoice issued and queueing its mail
    cloud.runtime.db.prepare('DELETE FROM mail_outbox WHERE invoice_id = ?').run(inv.id)
    await cloud.dev('/dev/api/clock', { offsetMs: 3 * 60_000 })

    await cloud.dev('/dev/api/triggers/invoiceWorker', {})
    await cloud.dev('/dev/api/triggers/invoiceWorker', {})

    expect(cloud.smtp.list({ to })).toHaveLength(1)
    const rows = cloud.runtime.db.prepare('SELECT kind, status FROM mail_outbox WHERE invoice_id = ?').all(inv.id)
    expect(rows).toEqual([{ kind: 'issued', status: 'sent' }])
  }, 30_000)
})

describe('on start, work whose owner died resumes at once', () => {
  /** The pid of a process that has exited, with this machine's boot id (as a lease owner). */
  function deadOwner(): string {
    const child = spawnSync(process.execPath, ['-e', ''])
    return `${child.pid}@${LEASE_OWNER.split('@')[1]}`
  }
  const inOneMinute = () => new Date(Date.now() + 60_000).toISOString()

  let dir: TestCloud
  beforeAll(async () => {
    dir = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  }, 30_000)
  afterAll(() => dir.close())

  /** Closes the cloud and starts another on the same data folder, as a restart does. */
  async function restart(): Promise<void> {
    await dir.close()
    dir = await startTestCloud({ dataDir: dir.dataDir, env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  }

  it('an invoice a dead worker held is issued by the first worker run after a restart, without waiting for its lease', async () => {
    const me = await dir.login('租约发票')
    const inv = await issued(dir, me, `lease-inv@example.com`)
    // the worker died after taking the lease, before the provider's answer was stored
    dir.runtime.db
      .prepare(
        `UPDATE invoices SET status = 'issuing', invoice_no = NULL, issued_at = NULL, pdf_file_id = NULL, xml_file_id = NULL,
           lease_until = ?, lease_owner = ? WHERE id = ?`,
      )
      .run(inOneMinute(), deadOwner(), inv.id)
    await restart()

    await dir.dev('/dev/api/triggers/invoiceWorker', {})

    const row = dir.runtime.db.prepare('SELECT status, lease_until, lease_owner FROM invoices WHERE id = ?').get(inv.id)
    expect(row).toEqual({ status: 'issued', lease_until: null, lease_owner: null })
  }, 30_000)

  it('a mail a dead sender had claimed is sent by the first worker run after a restart, without waiting for its claim', async () => {
    const me = await dir.login('租约邮件')
    const to = 'lease-mail@example.com'
    dir.smtp.failNext(1)
    const inv = await issued(dir, me, to)
    await eventually(
      async () => (dir.runtime.db.prepare('SELECT attempts FROM mail_outbox WHERE invoice_id = ?').get(inv.id) as { attempts: number }).attempts === 1,
    )
    // a sender claimed it (attempts 1, next attempt = the end of its claim) and died before sending
    dir.runtime.db.prepare('UPDATE mail_outbox SET next_attempt_at = ?, lease_owner = ? WHERE invoice_id = ?').run(inOneMinute(), deadOwner(), inv.id)
    await restart()

    await dir.dev('/dev/api/triggers/invoiceWorker', {})

    expect(dir.smtp.list({ to })).toHaveLength(1)
    expect(dir.runtime.db.prepare('SELECT status, lease_owner FROM mail_outbox WHERE invoice_id = ?').get(inv.id)).toEqual({
      status: 'sent',
      lease_owner: null,
    })
  }, 30_000)

  it('leaves the lease of a process that is still running', async () => {
    const me = await dir.login('活租约')
    const inv = await issued(dir, me, 'lease-live@example.com')
    const until = inOneMinute()
    dir.runtime.db.prepare(`UPDATE invoices SET status = 'issuing', lease_until = ?, lease_owner = ? WHERE id = ?`).run(until, LEASE_OWNER, inv.id)
    await restart()

    await dir.dev('/dev/api/triggers/invoiceWorker', {})

    expect(dir.runtime.db.prepare('SELECT status, lease_until FROM invoices WHERE id = ?').get(inv.id)).toEqual({ status: 'issuing', lease_until: until })
  }, 30_000)
})
