import crypto from 'node:crypto'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * `staff health` shows the enterprise batch jobs and exports: over the local cloud (HTTP in,
 * SQLite on disk), a batch job whose start is lost stays running with nobody holding it until
 * the batch timer resumes it.
 */
const VALID_TAX_ID = '91420100MA4K0000XJ'
const token = () => crypto.randomBytes(10).toString('hex')

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_MAX_ORDERS: '3', INVOICE_MAX_TOTAL_FEN: '10000' } })
}, 30_000)
afterAll(() => cloud.close())
afterEach(async () => {
  await cloud.dev('/dev/api/invoke', { mode: 'run' })
})

const thisMonth = () => {
  const d = new Date(Date.now() + 8 * 3600_000)
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

async function paidCard(me: Client, amounts: number[]): Promise<string> {
  const cardId = (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  for (const amountFen of amounts) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
    await cloud.dev('/sandbox/pay/confirm', { prepayId: payment.package.replace('prepay_id=', '') })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
  }
  return cardId
}

/** health as a viewer in the mini-program sees it, over HTTP */
async function health(viewer: Client) {
  const r = (await viewer.call('staff', { action: 'health' })).body
  if (!r.ok) throw new Error(`staff.health failed: ${JSON.stringify(r.error)}`)
  return r.data
}

describe('staff health: batch jobs and exports', () => {
  it('shows a batch job nobody works on as running and unheld, and nothing once the timer finished it', async () => {
    const viewer = await cloud.login('值班查看')
    await cloud.invoke('staff', { action: 'grant', openid: viewer.openid, name: '查看客服', role: 'viewer', reason: '测试授权', operator: '张三' }, 'external')
    const before = await health(viewer)
    expect(before.jobs).toEqual({
      batch: { running: 0, oldestRunningSince: null, unheldRunning: 0, failedItemsLast24h: 0 },
      exports: { queued: 0, running: 0, failedLast24h: 0 },
    })

    const me = await cloud.login('批量企业')
    const title = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: VALID_TAX_ID })).title
    const cardId = await paidCard(me, [1000, 1000])
    await cloud.dev('/dev/api/invoke', { mode: 'lose' }) // the start is lost: nobody holds the job
    const { job } = await me.ok('batch', 'create', {
      titleId: title.id,
      period: { kind: 'months', months: [thisMonth()] },
      cards: { kind: 'ids', cardIds: [cardId] },
      mode: 'mixed',
      email: null,
      clientToken: token(),
    })
    const stuck = await health(viewer)
    expect(stuck.jobs.batch).toEqual({ running: 1, oldestRunningSince: job.createdAt, unheldRunning: 1, failedItemsLast24h: 0 })

    await cloud.dev('/dev/api/invoke', { mode: 'run' })
    await cloud.dev('/dev/api/triggers/batch', {})
    await eventually(async () => (await me.ok('batch', 'get', { jobId: job.id })).job.status === 'done', 20_000)
    expect((await health(viewer)).jobs.batch).toMatchObject({ running: 0, oldestRunningSince: null, unheldRunning: 0 })
  }, 60_000)
})
