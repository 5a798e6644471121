import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { CARD_A, eventually, startTestCloud, type Client, type TestCloud } from '../helpers/local-cloud'

/**
 * Exports through the local cloud (issue 8): a person with blue, red and replacement invoices
 * exports them; the ZIP opens with Debian's unzip, every file's SHA-256 in the ledger (XLSX read
 * back with exceljs, and the CSV) is the digest of the file in the ZIP, the red/blue chain is
 * written out; the same clientToken finds the same export; e-mailed attached, or as a link when
 * the ZIP is bigger than EXPORT_ATTACH_MAX_BYTES; nobody else sees it.
 */
const VALID_TAX_ID = '91420100MA4K0000XJ'
const token = () => crypto.randomBytes(10).toString('hex')
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')
let seq = 0

async function paidOrders(c: TestCloud, me: Client, amounts: number[]): Promise<string[]> {
  const cards = (await me.ok('card', 'list')).cards as { id: string; cardNo: string }[]
  const cardId = cards.find((x) => x.cardNo === CARD_A)?.id ?? (await me.ok('card', 'bind', { cardNo: CARD_A })).card.id
  const ids: string[] = []
  for (const amountFen of amounts) {
    const { order, payment } = await me.ok('topup', 'createOrder', { cardId, amountFen, clientToken: token() })
    await fetch(`${c.url}/sandbox/pay/confirm`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ prepayId: payment.package.replace('prepay_id=', '') }),
    })
    await eventually(async () => (await me.ok('topup', 'getOrder', { orderId: order.id })).order.status === 'paid')
    ids.push(order.id)
  }
  return ids
}

/** Four issued invoices: a blue one reversed by a red one and replaced by a new blue one (换开), and one more blue. */
async function personWithChain(c: TestCloud) {
  const me = await c.login(`导出${++seq}`)
  const orderIds = await paidOrders(c, me, [5000, 2050])
  const person = (await me.ok('profile', 'saveTitle', { kind: 'personal', name: '张三' })).title
  const company = (await me.ok('profile', 'saveTitle', { kind: 'enterprise', name: '武汉示例科技有限公司', taxId: VALID_TAX_ID })).title
  const { invoice: blue } = await me.ok('invoice', 'request', { orderIds, titleId: person.id, clientToken: token() })
  expect(blue.status).toBe('issued')
  const { correction } = await me.ok('invoice', 'correct', { invoiceId: blue.id, titleId: company.id, clientToken: token() })
  expect(correction.status).toBe('done')
  const [third] = await paidOrders(c, me, [3000])
  const { invoice: other } = await me.ok('invoice', 'request', { orderIds: [third], titleId: company.id, clientToken: token() })
  expect(other.status).toBe('issued')
  const get = async (id: string) => (await me.ok('invoice', 'get', { invoiceId: id })).invoice
  return { me, blue: await get(blue.id), red: await get(correction.redInvoiceId), fresh: await get(correction.newInvoiceId), other: await get(other.id) }
}

async function download(me: Client, url: string, file: string): Promise<Buffer> {
  const r = await fetch(url, { headers: { Authorization: `Bearer ${me.token}` } })
  expect(r.status).toBe(200)
  const bytes = Buffer.from(await r.arrayBuffer())
  fs.writeFileSync(file, bytes)
  return bytes
}

/** The CSV as rows of fields (RFC 4180 quoting), without the BOM. */
function parseCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff)
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 1; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += ch
  }
  return rows
}

describe('export (ZIP + ledger) through the local cloud', () => {
  let cloud: TestCloud
  let dir: string
  beforeAll(async () => {
    cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-export-test-'))
  }, 30_000)
  afterAll(async () => {
    await cloud.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('builds one ZIP of every PDF and XML with a ledger whose digests, amounts and chain are right', async () => {
    const { me, blue, red, fresh, other } = await personWithChain(cloud)
    const clientToken = token()
    const { export: ex } = await me.ok('ledger', 'createExport', { filter: {}, email: 'finance@example.com', clientToken })
    expect(ex).toMatchObject({ status: 'done', total: 4, done: 4, mail: 'attached', error: null })
    expect(ex.url).toMatch(/\/storage\/users\//)

    const zip = path.join(dir, 'a.zip')
    const zipBytes = await download(me, ex.url, zip)
    expect(zipBytes.length).toBe(ex.zipBytes)
    expect(execFileSync('unzip', ['-t', zip], { encoding: 'utf8' })).toMatch(/No errors detected/)
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort()
    const all = [blue, red, fresh, other]
    expect(listing).toEqual([...all.flatMap((i) => [`invoices/${i.invoiceNo}.pdf`, `invoices/${i.invoiceNo}.xml`]), '发票台账.csv', '发票台账.xlsx'].sort())
    const out = path.join(dir, 'a')
    execFileSync('unzip', ['-q', '-o', zip, '-d', out])

    // the ledger, read back with a spreadsheet reader
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(path.join(out, '发票台账.xlsx'))
    const sheet = wb.getWorksheet('发票台账')!
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual(
      expect.arrayContaining(['发票号码', '开票日期', '购买方名称', '购买方税号', '价税合计(元)', '红蓝字', '红冲/换开关系', 'PDF SHA-256', 'XML SHA-256']),
    )
    const col = (name: string) => header.indexOf(name) + 1
    const rows = new Map<string, ExcelJS.Row>()
    sheet.eachRow((r, n) => n > 1 && rows.set(r.getCell(col('发票号码')).text, r))
    expect([...rows.keys()].sort()).toEqual(all.map((i) => i.invoiceNo).sort()) // one row per invoice
    for (const inv of all) {
      const r = rows.get(inv.invoiceNo)!
      const pdf = fs.readFileSync(path.join(out, 'invoices', `${inv.invoiceNo}.pdf`))
      const xml = fs.readFileSync(path.join(out, 'invoices', `${inv.invoiceNo}.xml`))
      expect(r.getCell(col('PDF SHA-256')).value).toBe(sha(pdf))
      expect(r.getCell(col('XML SHA-256')).value).toBe(sha(xml))
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    }
    const cell = (inv: { invoiceNo: string }, name: string) => rows.get(inv.invoiceNo)!.getCell(col(name)).value
    expect(cell(red, '红蓝字')).toBe('红字')
    expect(cell(red, '价税合计(元)')).toBe(-70.5)
    expect(cell(red, '红冲/换开关系')).toBe(`红冲 ${blue.invoiceNo}`)
    expect(cell(blue, '价税合计(元)')).toBe(70.5)
    expect(cell(blue, '红冲/换开关系')).toBe(`已被 ${red.invoiceNo} 红冲；换开为 ${fresh.invoiceNo}`)
    expect(cell(fresh, '红冲/换开关系')).toBe(`换开自 ${blue.invoiceNo}`)
    expect(cell(fresh, '购买方名称')).toBe('武汉示例科技有限公司')
    expect(cell(fresh, '购买方税号')).toBe(VALID_TAX_ID)
    expect(cell(other, '价税合计(元)')).toBe(30)
    expect(rows.get(blue.invoiceNo)!.getCell(col('充值订单')).text.split(' ').sort()).toEqual([...blue.orderIds].sort())
    expect(cell(other, '武汉通卡号')).toBe(CARD_A)
    const sum = wb.getWorksheet('汇总')!
    expect(sum.getRow(2).values).toEqual([undefined, '发票张数', 4])

    // the CSV says the same
    const csv = parseCsv(fs.readFileSync(path.join(out, '发票台账.csv'), 'utf8'))
    expect(csv[0]).toEqual(header)
    expect(csv).toHaveLength(5)
    for (const line of csv.slice(1)) {
      const r = rows.get(line[0])!
      header.forEach((h, i) => {
        const c = r.getCell(i + 1)
        expect(line[i]).toBe(h === '价税合计(元)' ? (c.value as number).toFixed(2) : c.text)
      })
    }

    // the e-mail carries the very ZIP
    const mail = await cloud.smtp.waitFor({ to: 'finance@example.com' })
    expect(mail.subject).toBe('武汉通发票导出（4 张）')
    expect(mail.attachments).toHaveLength(1)
    expect(mail.attachments[0].sha256).toBe(sha(zipBytes))

    // the same clientToken: the same export, nothing new made or sent
    const again = (await me.ok('ledger', 'createExport', { filter: {}, email: 'finance@example.com', clientToken })).export
    expect(again.id).toBe(ex.id)
    expect((await me.ok('ledger', 'listExports')).exports.map((e: { id: string }) => e.id)).toEqual([ex.id])
    expect(cloud.smtp.list({ to: 'finance@example.com' })).toHaveLength(1)
    const reused = await me.call('ledger', { action: 'createExport', filter: { title: '张三' }, clientToken })
    expect(reused.body.error.code).toBe('EXPORT.CLIENT_TOKEN_REUSED')

    // audited as a sensitive action of the person
    const audit = cloud.runtime.db.prepare('SELECT action, role FROM staff_audit WHERE target = ?').all(`export:${ex.id}`)
    expect(audit).toEqual([{ action: 'export.create', role: 'user' }])
  }, 60_000)

  it('exports chosen invoices or a filter, refuses what is not the person’s, and keeps exports private', async () => {
    const { me, blue, red, other } = await personWithChain(cloud)
    const chosen = (await me.ok('ledger', 'createExport', { invoiceIds: [red.id, other.id], clientToken: token() })).export
    expect(chosen).toMatchObject({ status: 'done', total: 2, mail: null })
    const byTitle = (await me.ok('ledger', 'createExport', { filter: { title: '张三' }, clientToken: token() })).export
    expect(byTitle.total).toBe(2) // the reversed blue and its red one carry the first title
    const zip = path.join(dir, 'b.zip')
    await download(me, byTitle.url, zip)
    expect(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' })).toContain(`invoices/${blue.invoiceNo}.pdf`)

    const none = await me.call('ledger', { action: 'createExport', filter: { title: '没有这个抬头' }, clientToken: token() })
    expect(none.body.error.code).toBe('EXPORT.EMPTY')
    const badDate = await me.call('ledger', { action: 'createExport', filter: { from: '2026-13-01' }, clientToken: token() })
    expect(badDate.body.error.code).toBe('COMMON.BAD_REQUEST')

    const stranger = await cloud.login(`旁人${++seq}`)
    expect((await stranger.call('ledger', { action: 'getExport', exportId: chosen.id })).body.error.code).toBe('EXPORT.NOT_FOUND')
    const theirs = await stranger.call('ledger', { action: 'createExport', invoiceIds: [blue.id], clientToken: token() })
    expect(theirs.body.error.code).toBe('INVOICE.NOT_FOUND')
    // the owner's link does not serve the stranger's session
    const r = await fetch(chosen.url ?? (await me.ok('ledger', 'getExport', { exportId: chosen.id })).export.url, {
      headers: { Authorization: `Bearer ${stranger.token}` },
    })
    expect(r.status).toBe(403)
  }, 60_000)
})

describe('an export whose runner died', () => {
  let cloud: TestCloud
  beforeAll(async () => {
    cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0' } })
  }, 30_000)
  afterAll(() => cloud.close())

  it('is left alone while its lease lives, and finished by a retry with the same clientToken once it ran out', async () => {
    const { me } = await personWithChain(cloud)
    const { deps } = cloud.runtime
    const now = Date.now()
    // a runner took the job and died half-way (killed function, crashed container)
    await deps.ledger.createExport({
      id: 'EXPDEAD0001',
      openid: me.openid,
      clientToken: 'dead-runner-token-1',
      status: 'running',
      selection: { kind: 'filter', from: null, to: null, title: null, cardNo: null, status: 'issued' },
      email: null,
      total: 4,
      done: 2,
      zipFileId: null,
      zipBytes: null,
      zipSha256: null,
      mail: null,
      error: null,
      attempts: 1,
      createdAt: new Date(now).toISOString(),
      finishedAt: null,
      leaseUntil: new Date(now + 60_000).toISOString(),
    })
    const held = (await me.ok('ledger', 'createExport', { clientToken: 'dead-runner-token-1' })).export
    expect(held).toMatchObject({ id: 'EXPDEAD0001', status: 'running', done: 2, url: null })

    await cloud.dev('/dev/api/clock', { offsetMs: 5 * 60_000 }) // the lease has run out
    const resumed = (await me.ok('ledger', 'createExport', { clientToken: 'dead-runner-token-1' })).export
    expect(resumed).toMatchObject({ id: 'EXPDEAD0001', status: 'done', total: 4, done: 4 })
    expect(resumed.url).toMatch(/\/storage\/users\//)
    expect((await deps.ledger.findExport('EXPDEAD0001'))!.attempts).toBe(2)
  }, 60_000)
})

describe('an export too big to attach', () => {
  let cloud: TestCloud
  beforeAll(async () => {
    cloud = await startTestCloud({ env: { PROVIDER_SANDBOX_LATENCY_MS: '0', EXPORT_ATTACH_MAX_BYTES: '1000', EXPORT_LINK_TTL_SECONDS: '1800' } })
  }, 30_000)
  afterAll(() => cloud.close())

  it('is e-mailed as a short-lived link to the ZIP, not attached', async () => {
    const { me } = await personWithChain(cloud)
    const { export: ex } = await me.ok('ledger', 'createExport', { email: 'big@example.com', clientToken: token() })
    expect(ex).toMatchObject({ status: 'done', mail: 'link' })
    expect(ex.zipBytes).toBeGreaterThan(1000)
    const mail = await cloud.smtp.waitFor({ to: 'big@example.com' })
    expect(mail.attachments).toHaveLength(0)
    expect(mail.text).toContain('30 分钟内有效')
    const link = /(http\S+\/storage\/users\/\S+)/.exec(mail.text)![1]
    const r = await fetch(link, { headers: { Authorization: `Bearer ${me.token}` } })
    expect(r.status).toBe(200)
    expect(Buffer.from(await r.arrayBuffer()).length).toBe(ex.zipBytes)
  }, 60_000)
})
