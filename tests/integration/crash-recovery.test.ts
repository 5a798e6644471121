import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * What a crash leaves behind, over the local cloud (HTTP in, SQLite on disk, the provider sandbox,
 * mail over SMTP to the capture server): the rows a process killed at the worst moment leaves are
 * written into the database as that process would have left them, then the worker runs.
 */
let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_RESEND_COOLDOWN_SECONDS: '0' } })
}, 30_000)
afterAll(() => cloud.close())

const token = () => crypto.randomBytes(10).toString('hex')
let seq = 0

async function issuedWithMail(me: Client, email: string): Promise<{ id: string; invoiceNo: string }> {
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen: 3000, clientToken: token() })
  await fetch(`${cloud.url}/sandbox/pay/confirm`, {
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

const mailsTo = (to: string) => cloud.smtp.list({ to })

describe('mail whose outcome a crash left unknown', () => {
  it('a mail the server accepted but that was never marked sent is not sent again by the worker', async () => {
    const me = await cloud.login(`邮件崩溃${++seq}`)
    const to = `crash${seq}@example.com`
    const inv = await issuedWithMail(me, to)
    await cloud.smtp.waitFor({ to }, 10_000)
    // the sender died after the server's 250 and before markSent: claimed (attempts 1), pending
    cloud.runtime.db
      .prepare(`UPDATE mail_outbox SET status = 'pending', sent_at = NULL, next_attempt_at = ? WHERE invoice_id = ?`)
      .run(new Date().toISOString(), inv.id)

    const run = await cloud.dev('/dev/api/triggers/invoiceWorker', {})

    expect(run).toBeDefined()
    const row = cloud.runtime.db.prepare('SELECT status, attempts FROM mail_outbox WHERE invoice_id = ?').get(inv.id) as { status: string; attempts: number }
    expect(row.status).toBe('sent')
    expect(mailsTo(to)).toHaveLength(1)
  }, 30_000)

  it("an outbox item's mail carries a Message-ID made from the item, the same on every attempt", async () => {
    const me = await cloud.login(`邮件重试${++seq}`)
    const to = `retry${seq}@example.com`
    cloud.smtp.failNext(1)
    const inv = await issuedWithMail(me, to)
    await eventually(async () => {
      const row = cloud.runtime.db.prepare('SELECT attempts FROM mail_outbox WHERE invoice_id = ?').get(inv.id) as { attempts: number }
      return row.attempts === 1
    })
    cloud.runtime.db.prepare('UPDATE mail_outbox SET next_attempt_at = ? WHERE invoice_id = ?').run(new Date().toISOString(), inv.id)

    await cloud.dev('/dev/api/triggers/invoiceWorker', {})

    const [mail] = mailsTo(to)
    expect(mail.messageId).toBe(`<wt-mail.${inv.id}-issued@wuhantong.local>`)
  }, 30_000)
})
