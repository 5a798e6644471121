import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { WX_COLLECTIONS, WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { formatTimeEnd } from '../../cloudfunctions/_core/domain/order'
import type { CallContext } from '../../cloudfunctions/_core/runtime/context'
import type { Deps } from '../../cloudfunctions/_core/runtime/deps'
import { wxMain } from '../../cloudfunctions/_core/wiring/wx'
import { invoiceDocuments } from '../../cloudfunctions/_core/wiring/wx-documents'
import { createCardHandler } from '../../cloudfunctions/card/src/handler'
import { createInvoiceHandler } from '../../cloudfunctions/invoice/src/handler'
import { createPayNotifyHandler } from '../../cloudfunctions/payNotify/src/handler'
import { createProfileHandler } from '../../cloudfunctions/profile/src/handler'
import { createStaffHandler } from '../../cloudfunctions/staff/src/handler'
import { createTopupHandler } from '../../cloudfunctions/topup/src/handler'
import { runBackupCli } from '../../scripts/backup/cli'
import { sdkEnv } from '../../scripts/backup/cloud-env'
import { backupCloud, checkEnv, latestCloudSnapshot, readCloudManifest, restoreCloud, verifyCloudSnapshot } from '../../scripts/backup/cloud-snapshot'
import { FakeNodeSdkApp } from '../fakes/node-sdk-app.fake'
import { FakeWxCloud } from '../fakes/wx-cloud.fake'

/**
 * `npm run backup / restore / backup:verify -- --cloud` (scripts/backup/cloud-snapshot.ts)
 * through a fake @cloudbase/node-sdk app over the wx fake (database with its unique indexes,
 * storage): an environment filled by the real handlers (a paid top-up, an issued invoice with
 * its PDF and XML, an audited staff action) is backed up, restored into a second, empty
 * environment, checked there, and verified in a scratch place; a tampered snapshot fails.
 */
const ALICE = 'oAlice0000000000000000000001'
const CARD = '3104000012345673' // Luhn-valid
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')

const savedEnv = { ...process.env }
let tmp: string
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-cloud-backup-test-'))
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // the JSON logger's lines
  Object.assign(process.env, {
    PAY_SUB_MCH_ID: '1900000109',
    CLOUD_ENV_ID: 'prod-1',
    INVOICE_ALLOW_SANDBOX: 'true',
    PROVIDER_SANDBOX_LATENCY_MS: '0',
    INVOICE_INLINE_WAIT_MS: '3000',
  })
})
afterEach(() => {
  process.env = { ...savedEnv }
  jest.restoreAllMocks()
  fs.rmSync(tmp, { recursive: true, force: true })
})

type Fn = (event: unknown, ctx: unknown) => Promise<any>
const functionsOf = (cloud: FakeWxCloud) => {
  const make = (create: unknown) =>
    wxMain(create as (deps: Deps) => (event: unknown, ctx: CallContext) => Promise<any>, { load: () => cloud, documents: invoiceDocuments }) as Fn
  return {
    card: make(createCardHandler),
    topup: make(createTopupHandler),
    payNotify: make(createPayNotifyHandler),
    profile: make(createProfileHandler),
    invoice: make(createInvoiceHandler),
    staff: make(createStaffHandler),
  }
}

/** an environment with a paid top-up, its issued invoice (PDF + XML in storage) and an audit record */
async function filledEnvironment(): Promise<{ cloud: FakeWxCloud; invoiceId: string }> {
  const cloud = new FakeWxCloud({ indexes: WX_INDEXES, envId: 'prod-env-a1' })
  const f = functionsOf(cloud)
  cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client' }
  const title = (await f.profile({ action: 'saveTitle', kind: 'personal', name: '张三' }, {})).data.title
  const card = (await f.card({ action: 'bind', cardNo: CARD }, {})).data.card
  const orderId = (await f.topup({ action: 'createOrder', cardId: card.id, amountFen: 5000, clientToken: 'tok-backup-01' }, {})).data.order.id as string
  const paid = cloud.cloudPay.pay(orderId, { transactionId: '4200008888', timeEnd: formatTimeEnd(new Date()) })
  cloud.wxContext = { SOURCE: 'wx_paycallback' }
  await f.payNotify(
    {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: orderId,
      transactionId: paid.transactionId,
      totalFee: 5000,
      cashFee: 5000,
      timeEnd: paid.timeEnd,
    },
    {},
  )
  cloud.wxContext = { OPENID: ALICE, SOURCE: 'wx_client' }
  const asked = await f.invoice({ action: 'request', orderIds: [orderId], titleId: title.id, email: 'alice@example.com', clientToken: 'inv-backup-01' }, {})
  const invoiceId = asked.data.invoice.id as string
  expect((await f.invoice({ action: 'get', invoiceId }, {})).data.invoice.status).toBe('issued')
  cloud.wxContext = { SOURCE: '' }
  expect(
    await f.staff({ action: 'grant', operator: '张三', openid: 'oAgent0000000000000000000001', name: '李客服', role: 'agent', reason: '新入职' }, {}),
  ).toMatchObject({
    ok: true,
  })
  return { cloud, invoiceId }
}

const envOf = (cloud: FakeWxCloud) => sdkEnv(new FakeNodeSdkApp(cloud), cloud.envId)

it('backs up every collection and the invoice files, restores into an empty environment, and the invoice downloads there', async () => {
  const { cloud: a, invoiceId } = await filledEnvironment()
  const { dir, manifest } = await backupCloud(envOf(a), path.join(tmp, 'backups'))
  expect(path.basename(dir)).toMatch(/^wt-cloud-backup-\d{8}T\d+Z$/)
  expect(latestCloudSnapshot(path.join(tmp, 'backups'))).toBe(dir)
  expect(manifest.problems).toEqual([])
  for (const name of Object.values(WX_COLLECTIONS)) expect([name, manifest.collections[name]]).toEqual([name, a.db.docs(name).length])
  expect(manifest.collections[WX_COLLECTIONS.invoices]).toBe(1)
  expect(manifest.collections[WX_COLLECTIONS.audit]).toBeGreaterThanOrEqual(2) // the title saved and the grant
  expect(manifest.money).toEqual({ paidOrders: { count: 1, fen: 5000 }, blueInvoices: { count: 1, fen: 5000 }, redInvoices: { count: 0, fen: 0 } })
  // every file the documents name, with its SHA-256 in the manifest
  const inv = a.db.docs(WX_COLLECTIONS.invoices)[0]
  expect(manifest.storage.map((s) => s.fileID).sort()).toEqual([inv.pdfFileId, inv.xmlFileId].sort())
  for (const s of manifest.storage) {
    const entry = manifest.files.find((f) => f.path === s.path)!
    expect(entry.sha256).toBe(sha(a.files.get(s.fileID)!))
  }
  expect(manifest.files.find((f) => f.path === manifest.storage.find((s) => s.fileID === inv.pdfFileId)!.path)!.sha256).toBe(inv.pdfSha256)

  // into a second, empty environment
  const b = new FakeWxCloud({ indexes: WX_INDEXES, envId: 'restore-env-b2' })
  const restored = await restoreCloud(dir, envOf(b))
  expect(restored).toEqual({ documents: Object.values(manifest.collections).reduce((x, y) => x + y, 0), files: 2 })
  for (const name of Object.values(WX_COLLECTIONS)) expect([name, b.db.docs(name).length]).toEqual([name, a.db.docs(name).length])
  // the fileIDs now name the new environment; the bytes are the same
  const invB = b.db.docs(WX_COLLECTIONS.invoices)[0]
  expect(invB.pdfFileId).toBe(b.fileIdOf(String(inv.pdfFileId).replace(/^cloud:\/\/[^/]+\//, '')))
  expect(invB.pdfFileId).not.toBe(inv.pdfFileId)
  expect({ ...invB, pdfFileId: null, xmlFileId: null }).toEqual({ ...inv, pdfFileId: null, xmlFileId: null })
  expect(sha(b.files.get(String(invB.pdfFileId))!)).toBe(inv.pdfSha256)
  expect(b.db.docs(WX_COLLECTIONS.audit)).toEqual(a.db.docs(WX_COLLECTIONS.audit))

  const check = await checkEnv(manifest, envOf(b))
  expect(check).toMatchObject({ ok: true, problems: [], invoiceFilesChecked: 2, files: 2 })

  // the restored environment serves the person: the invoice and a link to its PDF
  const fb = functionsOf(b)
  b.wxContext = { OPENID: ALICE, SOURCE: 'wx_client' }
  const got = (await fb.invoice({ action: 'get', invoiceId }, {})).data.invoice
  expect(got).toMatchObject({ status: 'issued', amountFen: 5000 })
  const links = (await fb.invoice({ action: 'files', invoiceId }, {})).data
  expect(links.pdfUrl).toContain('restore-env-b2')
  expect(links.xmlUrl).toContain('restore-env-b2')
  expect((await fb.invoice({ action: 'list' }, {})).data.items.map((i: { id: string }) => i.id)).toEqual([invoiceId])
  // the audit chain came across whole
  b.wxContext = { SOURCE: '' }
  expect((await fb.staff({ action: 'audit', operator: '张三' }, {})).data.items).toHaveLength(manifest.collections[WX_COLLECTIONS.audit])
})

it('refuses to restore into an environment that is not empty, and changes nothing there', async () => {
  const { cloud: a } = await filledEnvironment()
  const { dir } = await backupCloud(envOf(a), tmp)
  const writes = a.db.writes.length
  const files = a.files.size
  await expect(restoreCloud(dir, envOf(a))).rejects.toThrow(/not empty.*cards \(1\)/s)
  expect([a.db.writes.length, a.files.size]).toEqual([writes, files])
})

it('verifies a snapshot by restoring it into a scratch place: counts, invoice files, money', async () => {
  const { cloud: a } = await filledEnvironment()
  const { dir, manifest } = await backupCloud(envOf(a), tmp)
  const scratch = path.join(tmp, 'scratch')
  const report = await verifyCloudSnapshot(dir, { scratchDir: scratch })
  expect(report).toMatchObject({ ok: true, problems: [], invoiceFilesChecked: 2, files: 2, money: manifest.money })
  expect(report.documents).toBe(Object.values(manifest.collections).reduce((x, y) => x + y, 0))
  // the scratch place holds the restored files under their cloud paths
  const pdf = manifest.storage.find((s) => s.path.endsWith('.pdf'))!
  expect(fs.existsSync(path.join(scratch, pdf.path))).toBe(true)
})

it('fails verification for a tampered file, even when the manifest was changed to match it', async () => {
  const { cloud: a } = await filledEnvironment()
  const { dir, manifest } = await backupCloud(envOf(a), tmp)
  const pdf = manifest.storage.find((s) => s.path.endsWith('.pdf'))!
  const file = path.join(dir, 'data', pdf.path)
  const bytes = fs.readFileSync(file)
  bytes[bytes.length - 10] ^= 0xff
  fs.writeFileSync(file, bytes)

  const plain = await verifyCloudSnapshot(dir)
  expect(plain.ok).toBe(false)
  expect(plain.problems.join('\n')).toContain(`${pdf.path}: SHA-256 differs from the manifest`)

  // the manifest edited to the tampered bytes: the SHA-256 recorded on the invoice still tells
  const m = readCloudManifest(dir)
  const entry = m.files.find((f) => f.path === pdf.path)!
  entry.sha256 = sha(bytes)
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m))
  const edited = await verifyCloudSnapshot(dir)
  expect(edited.ok).toBe(false)
  expect(edited.problems).toEqual([expect.stringMatching(/^invoice \S+ PDF: SHA-256 differs from the one recorded on the invoice$/)])
})

it('fails verification when a document is missing from the snapshot, and records a file the environment lost', async () => {
  const { cloud: a } = await filledEnvironment()
  // the XML vanished from storage before the backup: the backup still completes, and says so
  const xml = String(a.db.docs(WX_COLLECTIONS.invoices)[0].xmlFileId)
  a.files.delete(xml)
  const { dir, manifest } = await backupCloud(envOf(a), tmp)
  expect(manifest.problems).toEqual([
    expect.stringContaining(`${xml}: referenced but not downloadable`),
    `invoice ${String(a.db.docs(WX_COLLECTIONS.invoices)[0]._id)} XML: ${xml} not in the snapshot`,
  ])
  const report = await verifyCloudSnapshot(dir)
  expect(report.ok).toBe(false)
  expect(report.problems.join('\n')).toContain('recorded at backup time')

  // a line dropped from a collection file (and the manifest's file entry made to match)
  const { cloud: c } = await filledEnvironment()
  const snap = await backupCloud(envOf(c), path.join(tmp, 'second'))
  const rel = `collections/${WX_COLLECTIONS.orders}.jsonl`
  fs.writeFileSync(path.join(snap.dir, 'data', rel), '')
  const m = readCloudManifest(snap.dir)
  Object.assign(
    m.files.find((f) => f.path === rel)!,
    { bytes: 0, sha256: sha(Buffer.alloc(0)) },
  )
  fs.writeFileSync(path.join(snap.dir, 'manifest.json'), JSON.stringify(m))
  const dropped = await verifyCloudSnapshot(snap.dir)
  expect(dropped.ok).toBe(false)
  expect(dropped.problems.join('\n')).toContain(`${WX_COLLECTIONS.orders}: 0 documents in the snapshot file, manifest says 1`)
})

it('reads a big collection page by page (never more than the server gives at once)', async () => {
  const a = new FakeWxCloud({ indexes: WX_INDEXES })
  for (let i = 0; i < 250; i++) await a.db.collection(WX_COLLECTIONS.orderEvents).add({ data: { _id: `E${String(i).padStart(4, '0')}`, orderId: 'o', seq: i } })
  const { manifest, dir } = await backupCloud(envOf(a), tmp)
  expect(manifest.collections[WX_COLLECTIONS.orderEvents]).toBe(250)
  expect(Math.max(...a.db.gets.map((g) => g.returned))).toBeLessThanOrEqual(100)
  const b = new FakeWxCloud({ indexes: WX_INDEXES })
  await restoreCloud(dir, envOf(b))
  expect(b.db.docs(WX_COLLECTIONS.orderEvents).map((d) => d._id)).toEqual(a.db.docs(WX_COLLECTIONS.orderEvents).map((d) => d._id))
})

describe('npm run backup / restore / backup:verify -- --cloud', () => {
  const cli = async (argv: string[], app: FakeNodeSdkApp | null, env: Record<string, string> = { CLOUD_ENV_ID: 'prod-env-a1' }) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runBackupCli(argv, { env, out: (s) => out.push(s), err: (s) => err.push(s), ...(app ? { cloudApp: () => app } : {}) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  it('backs up, verifies the newest snapshot, restores into an empty environment and checks it, refuses a second restore', async () => {
    const { cloud: a } = await filledEnvironment()
    const out = path.join(tmp, 'backups')
    const backup = await cli(['backup', '--cloud', '--out', out], new FakeNodeSdkApp(a))
    expect(backup.code).toBe(0)
    expect(backup.out).toMatch(/paid orders: 1 \/ 50\.00 元; blue invoices: 1 \/ 50\.00 元/)
    const snapshot = latestCloudSnapshot(out)!
    expect(backup.out).toContain(snapshot)

    const verified = await cli(['verify', '--cloud', '--out', out], null, {})
    expect([verified.code, verified.err]).toEqual([0, ''])
    expect(verified.out).toContain('2 invoice files match their recorded SHA-256')
    // named without --cloud, a WeChat-cloud snapshot is still verified as one
    expect(await cli(['verify', snapshot], null, {})).toMatchObject({ code: 0, err: '' })

    const b = new FakeWxCloud({ indexes: WX_INDEXES, envId: 'restore-env-b2' })
    const restored = await cli(['restore', '--cloud', snapshot], new FakeNodeSdkApp(b))
    expect([restored.code, restored.err]).toEqual([0, ''])
    expect(restored.out).toContain('verified (environment prod-env-a1)')
    expect((await cli(['verify', '--cloud', '--against-env', snapshot], new FakeNodeSdkApp(b))).code).toBe(0)
    const again = await cli(['restore', '--cloud', snapshot], new FakeNodeSdkApp(b))
    expect(again.code).toBe(1)
    expect(again.err).toContain('not empty')
  })

  it('names the missing credentials instead of connecting', async () => {
    const r = await cli(['backup', '--cloud', '--out', tmp], null, {})
    expect(r.code).toBe(1)
    expect(r.err).toContain('CLOUD_ENV_ID')
  })
})
