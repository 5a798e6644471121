import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type Archiver from 'archiver'
import type ExcelJSModule from 'exceljs'
import type { ExportFilter, ExportInput, ExportView } from '../../../types/ledger'

// archiver and exceljs (about 1.8 MB of the ledger bundle) are loaded on the first export, not
// when the function starts: evaluating them took about 150 ms of every cold start (bench:cold)
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
const archiver = (...args: Parameters<typeof Archiver>) => (require('archiver') as typeof Archiver)(...args)
// eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
const excel = () => require('exceljs') as typeof ExcelJSModule
import { DomainError } from '../domain/errors'
import { parseEmail } from '../domain/invoice'
import {
  CSV_BOM,
  LEDGER_COLUMNS,
  cnDate,
  exportFromStatesOf,
  ledgerCsvHeader,
  ledgerCsvLine,
  ledgerRow,
  zipNameOf,
  type LedgerFile,
  type LedgerRow,
} from '../domain/ledger'
import { maskEmail } from '../domain/staff'
import { DuplicateKeyError } from '../ports/errors'
import type { StoredInvoice } from '../ports/invoice.repo'
import type { ExportSelection, StoredExport } from '../ports/ledger.repo'
import type { Deps } from '../runtime/deps'
import { auditUserAction } from './audit.service'

/** A runner holds the job this long past its last progress write; a dead runner's job is taken again after it. */
const LEASE_MS = 120_000
/** files downloaded ahead of the one being zipped (storage round trips overlap; memory stays a few files) */
const PREFETCH = 4
const PAGE = 100
const DATE = /^\d{4}-\d{2}-\d{2}$/

// ---------------------------------------------------------------------------------------
// Selection

function selectionOf(input: ExportInput, maxInvoices: number): ExportSelection {
  if (input.invoiceIds?.length) {
    const ids = [...new Set(input.invoiceIds)]
    if (ids.length > maxInvoices) throw new DomainError('EXPORT.TOO_MANY', `一次最多导出 ${maxInvoices} 张发票，请缩小范围`)
    return { kind: 'ids', invoiceIds: ids }
  }
  const f: ExportFilter = input.filter ?? {}
  for (const [k, v] of [
    ['from', f.from],
    ['to', f.to],
  ] as const) {
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) throw new DomainError('COMMON.BAD_REQUEST', `参数 filter.${k} 应为 YYYY-MM-DD`)
  }
  if (f.from && f.to && f.from > f.to) throw new DomainError('COMMON.BAD_REQUEST', '开始日期不能晚于结束日期')
  return { kind: 'filter', from: f.from ?? null, to: f.to ?? null, title: f.title?.trim() || null, cardNo: f.cardNo ?? null, status: 'issued' }
}

/** The issued invoices a selection covers, oldest issue first (the order an accountant files them). */
async function resolve(deps: Deps, openid: string, sel: ExportSelection, max: number): Promise<StoredInvoice[]> {
  let found: StoredInvoice[] = []
  if (sel.kind === 'ids') {
    for (const id of sel.invoiceIds) {
      const inv = await deps.invoices.findById(id)
      if (!inv || inv.openid !== openid) throw new DomainError('INVOICE.NOT_FOUND', '找不到所选的发票')
      if (inv.status !== 'issued') throw new DomainError('INVOICE.NOT_ISSUED', `发票尚未开具，不能导出`)
      found.push(inv)
    }
  } else {
    let cursor: { requestedAt: string; id: string } | undefined
    for (;;) {
      const page = await deps.invoices.list(openid, { status: 'issued', cardNo: sel.cardNo ?? undefined }, { limit: PAGE, cursor })
      for (const inv of page) {
        const day = inv.issuedAt ? cnDate(inv.issuedAt) : ''
        if (sel.from && day < sel.from) continue
        if (sel.to && day > sel.to) continue
        if (sel.title && inv.title.name !== sel.title && inv.title.taxId !== sel.title) continue
        found.push(inv)
        if (found.length > max) throw new DomainError('EXPORT.TOO_MANY', `一次最多导出 ${max} 张发票，请缩小范围`)
      }
      if (page.length < PAGE) break
      const last = page[page.length - 1]
      cursor = { requestedAt: last.requestedAt, id: last.id }
    }
  }
  if (!found.length) throw new DomainError('EXPORT.EMPTY', '所选范围内没有已开具的发票')
  found = found.sort((a, b) => (a.issuedAt ?? '').localeCompare(b.issuedAt ?? '') || (a.invoiceNo ?? '').localeCompare(b.invoiceNo ?? ''))
  return found
}

// ---------------------------------------------------------------------------------------
// Views

export const exportCloudPath = (openid: string, jobId: string) => `users/${openid}/exports/${jobId}.zip`

export async function toExportView(deps: Deps, j: StoredExport): Promise<ExportView> {
  let url: string | null = null
  let urlExpiresAt: string | null = null
  if (j.status === 'done' && j.zipFileId) {
    const ttl = deps.config.ledger.exportLinkTtlSeconds
    url = (await deps.storage.tempUrls([j.zipFileId], { openid: j.openid, maxAgeSeconds: ttl }))[0]?.url ?? null
    if (url) urlExpiresAt = new Date(deps.clock.now().getTime() + ttl * 1000).toISOString()
  }
  return {
    id: j.id,
    status: j.status,
    total: j.total,
    done: j.done,
    zipBytes: j.zipBytes,
    url,
    urlExpiresAt,
    mail: j.mail,
    error: j.error,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
  }
}

async function ownedExport(deps: Deps, openid: string, id: string): Promise<StoredExport> {
  const j = await deps.ledger.findExport(id)
  if (!j || j.openid !== openid) throw new DomainError('EXPORT.NOT_FOUND', '找不到该导出任务')
  return j
}

export async function getExport(deps: Deps, openid: string, id: string): Promise<ExportView> {
  return toExportView(deps, await ownedExport(deps, openid, id))
}

export async function listExports(deps: Deps, openid: string): Promise<ExportView[]> {
  return Promise.all((await deps.ledger.listExports(openid, 20)).map((j) => toExportView(deps, j)))
}

// ---------------------------------------------------------------------------------------
// Create and run

/**
 * Starts an export, or finds the one this clientToken started (and resumes it when its runner
 * died or it failed), then runs it to the end within this call. The ZIP is written to a
 * temporary file as a stream and uploaded from it: no whole ZIP in memory. Progress
 * (done / total) is written as it goes, so another call (getExport) can show it.
 */
export async function createExport(deps: Deps, openid: string, input: ExportInput): Promise<ExportView> {
  const email = input.email ? parseEmail(input.email) : null
  const max = deps.config.ledger.exportMaxInvoices
  const selection = selectionOf(input, max)
  const existing = await deps.ledger.findExportByToken(openid, input.clientToken)
  if (existing) {
    // a retry of the same confirmation finds (and if needed resumes) its export; the token
    // reused for another choice is a client bug, not a retry
    if (JSON.stringify(existing.selection) !== JSON.stringify(selection) || existing.email !== email)
      throw new DomainError('EXPORT.CLIENT_TOKEN_REUSED', '该导出请求已提交过其他内容，请刷新页面后重试')
    return runExport(deps, existing.id)
  }
  const invoices = await resolve(deps, openid, selection, max)
  const now = deps.clock.now().toISOString()
  const job: StoredExport = {
    id: `EXP${deps.random.id()}`,
    openid,
    clientToken: input.clientToken,
    status: 'queued',
    selection,
    email,
    total: invoices.length,
    done: 0,
    zipFileId: null,
    zipBytes: null,
    zipSha256: null,
    mail: null,
    error: null,
    attempts: 0,
    createdAt: now,
    finishedAt: null,
    leaseUntil: null,
  }
  try {
    await deps.ledger.createExport(job)
  } catch (e) {
    if (!(e instanceof DuplicateKeyError) || e.key !== 'clientToken') throw e
    // a concurrent call with the same token won: that job is this request's
    const first = await deps.ledger.findExportByToken(openid, input.clientToken)
    if (!first) throw e
    return runExport(deps, first.id)
  }
  // a copy of every invoice leaves the platform: a sensitive action of the person, on the trail
  await auditUserAction(deps, openid, {
    action: 'export.create',
    target: `export:${job.id}`,
    before: null,
    after: { invoices: invoices.length, selection: selection.kind, email: email ? maskEmail(email) : null },
  })
  return runExport(deps, job.id, invoices)
}

/** Runs (or resumes) one export; answers its view. A job another runner holds is left to it. */
export async function runExport(deps: Deps, jobId: string, resolved?: StoredInvoice[]): Promise<ExportView> {
  let job = await deps.ledger.findExport(jobId)
  if (!job) throw new DomainError('EXPORT.NOT_FOUND', '找不到该导出任务')
  if (job.status === 'done') {
    if (job.email && job.mail === null) job = await mailExport(deps, job)
    return toExportView(deps, job)
  }
  const now = deps.clock.now()
  const taken = await deps.ledger.updateExport(
    job.id,
    exportFromStatesOf('running'),
    { status: 'running', attempts: job.attempts + 1, done: 0, error: null, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() },
    { leaseFreeAt: now.toISOString() },
  )
  if (!taken) return toExportView(deps, job) // running elsewhere: the caller polls getExport
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wt-export-'))
  try {
    const invoices = resolved ?? (await resolve(deps, job.openid, job.selection, deps.config.ledger.exportMaxInvoices))
    const built = await buildZip(deps, job, invoices, dir)
    const { fileID } = await deps.storage.uploadFile({ cloudPath: exportCloudPath(job.openid, job.id), localPath: built.zipPath })
    const patch = {
      status: 'done' as const,
      total: invoices.length,
      done: invoices.length,
      zipFileId: fileID,
      zipBytes: built.bytes,
      zipSha256: built.sha256,
      finishedAt: deps.clock.now().toISOString(),
      leaseUntil: null,
    }
    await deps.ledger.updateExport(job.id, ['running'], patch)
    job = { ...job, ...patch }
    if (job.email) job = await mailExport(deps, job, built.zipPath)
  } catch (e) {
    const message = e instanceof DomainError ? e.message : '导出失败，请稍后重试'
    deps.log.error('export failed', { exportId: job.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) })
    await deps.ledger.updateExport(job.id, ['running'], { status: 'failed', error: message, leaseUntil: null, finishedAt: deps.clock.now().toISOString() })
    job = (await deps.ledger.findExport(job.id)) ?? job
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true })
  }
  return toExportView(deps, job)
}

// ---------------------------------------------------------------------------------------
// The ZIP

interface Built {
  zipPath: string
  bytes: number
  sha256: string
  rows: LedgerRow[]
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')

/** The files of one invoice as stored (PDF, XML, OFD where the provider gave one). */
function filesOf(inv: StoredInvoice): { kind: LedgerFile['kind']; fileId: string }[] {
  const out: { kind: LedgerFile['kind']; fileId: string }[] = []
  if (inv.pdfFileId) out.push({ kind: 'pdf', fileId: inv.pdfFileId })
  if (inv.xmlFileId) out.push({ kind: 'xml', fileId: inv.xmlFileId })
  if (inv.ofdFileId) out.push({ kind: 'ofd', fileId: inv.ofdFileId })
  return out
}

async function buildZip(deps: Deps, job: StoredExport, invoices: StoredInvoice[], dir: string): Promise<Built> {
  const zipPath = path.join(dir, 'export.zip')
  const out = fs.createWriteStream(zipPath)
  const archive = archiver('zip', { zlib: { level: 6 } })
  const finished = new Promise<void>((resolve, reject) => {
    out.on('close', resolve)
    out.on('error', reject)
    archive.on('error', reject)
  })
  archive.pipe(out)
  /** resolves once archiver has written the entry: at most one file waits in its queue */
  const add = (content: Buffer | fs.ReadStream, name: string, store: boolean) =>
    new Promise<void>((resolve) => {
      archive.once('entry', () => resolve())
      archive.append(content, { name, store, date: new Date(job.createdAt) })
    })

  const numbers = await chainNumbers(deps, job.openid, invoices)
  const rows: LedgerRow[] = []
  const download = (inv: StoredInvoice) => Promise.all(filesOf(inv).map(async (f) => ({ ...f, content: await deps.storage.download(f.fileId) })))
  const ahead: Promise<{ kind: LedgerFile['kind']; fileId: string; content: Buffer }[]>[] = []
  for (let i = 0; i < Math.min(PREFETCH, invoices.length); i++) ahead.push(download(invoices[i]))
  let lastProgress = Date.now()
  for (let i = 0; i < invoices.length; i++) {
    const inv = invoices[i]
    const files = await ahead.shift()!
    if (i + PREFETCH < invoices.length) ahead.push(download(invoices[i + PREFETCH]))
    const ledgerFiles: LedgerFile[] = []
    for (const f of files) {
      const name = zipNameOf(inv, f.kind)
      const digest = sha256(f.content)
      const recorded = f.kind === 'pdf' ? inv.pdfSha256 : f.kind === 'xml' ? inv.xmlSha256 : inv.ofdSha256
      // the ledger states the digest of the bytes in the ZIP; a stored file that differs from its record is a finding for staff
      if (recorded && recorded !== digest) deps.log.warn('export: stored file differs from its recorded digest', { invoiceId: inv.id, kind: f.kind })
      // PDF and OFD are compressed already: stored, not deflated again
      await add(f.content, name, f.kind !== 'xml')
      ledgerFiles.push({ kind: f.kind, name, sha256: digest })
    }
    rows.push(ledgerRow(inv, ledgerFiles, (id) => numbers.get(id) ?? null))
    if (Date.now() - lastProgress > 500 || i === invoices.length - 1) {
      lastProgress = Date.now()
      const still = await deps.ledger.updateExport(job.id, ['running'], {
        done: i + 1,
        leaseUntil: new Date(deps.clock.now().getTime() + LEASE_MS).toISOString(),
      })
      if (!still) throw new Error('export lease lost')
    }
  }

  const xlsxPath = path.join(dir, 'ledger.xlsx')
  const csvPath = path.join(dir, 'ledger.csv')
  await writeXlsx(xlsxPath, rows)
  await writeCsv(csvPath, rows)
  await add(fs.createReadStream(xlsxPath), '发票台账.xlsx', true)
  await add(fs.createReadStream(csvPath), '发票台账.csv', false)
  await archive.finalize()
  await finished
  const hash = crypto.createHash('sha256')
  await pipeline(fs.createReadStream(zipPath), hash)
  return { zipPath, bytes: (await fs.promises.stat(zipPath)).size, sha256: hash.digest('hex'), rows }
}

/** Invoice numbers of every invoice the chains name (inside the export or not, the owner's only). */
async function chainNumbers(deps: Deps, openid: string, invoices: StoredInvoice[]): Promise<Map<string, string>> {
  const numbers = new Map<string, string>()
  for (const inv of invoices) if (inv.invoiceNo) numbers.set(inv.id, inv.invoiceNo)
  const wanted = new Set<string>()
  for (const inv of invoices) for (const id of [inv.originalId, inv.reversedById, inv.replacedById]) if (id && !numbers.has(id)) wanted.add(id)
  for (const id of wanted) {
    const other = await deps.invoices.findById(id)
    if (other && other.openid === openid && other.invoiceNo) numbers.set(id, other.invoiceNo)
  }
  return numbers
}

async function writeXlsx(file: string, rows: LedgerRow[]): Promise<void> {
  // the streaming writer: rows are committed to the file as they are added
  const wb = new (excel().stream.xlsx.WorkbookWriter)({ filename: file, useStyles: true, useSharedStrings: false })
  wb.creator = '武汉通发票'
  const sheet = wb.addWorksheet('发票台账', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }))
  sheet.getRow(1).font = { bold: true }
  sheet.getRow(1).commit()
  let blue = 0
  let red = 0
  for (const r of rows) {
    const amount = Number(r.amount)
    if (amount < 0) red += amount
    else blue += amount
    // the amount as a number (sums in the spreadsheet), everything else as text (a 20-digit number stays exact)
    const row = sheet.addRow({ ...r, amount })
    row.getCell('amount').numFmt = '0.00'
    row.commit()
  }
  sheet.commit()
  const sum = wb.addWorksheet('汇总')
  sum.columns = [
    { header: '项目', key: 'k', width: 20 },
    { header: '数值', key: 'v', width: 16 },
  ]
  const cents = (n: number) => Math.round(n * 100) / 100
  for (const [k, v] of [
    ['发票张数', rows.length],
    ['蓝字合计(元)', cents(blue)],
    ['红字合计(元)', cents(red)],
    ['净额(元)', cents(blue + red)],
  ] as const)
    sum.addRow({ k, v }).commit()
  sum.commit()
  await wb.commit()
}

async function writeCsv(file: string, rows: LedgerRow[]): Promise<void> {
  const out = fs.createWriteStream(file)
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
  })
  out.write(CSV_BOM + ledgerCsvHeader())
  for (const r of rows) if (!out.write(ledgerCsvLine(r))) await new Promise<void>((r2) => out.once('drain', () => r2()))
  out.end()
  await done
}

// ---------------------------------------------------------------------------------------
// The e-mail

/**
 * E-mails the export once: attached when the ZIP is small enough, else a short-lived link. The
 * idempotency key makes a repeat (a crash after sending) the same message. A failure is
 * recorded (mail 'failed'); the ZIP stays downloadable in the app.
 */
async function mailExport(deps: Deps, job: StoredExport, zipPath?: string): Promise<StoredExport> {
  if (!job.email || !job.zipFileId || job.zipBytes === null) return job
  const attach = job.zipBytes <= deps.config.ledger.exportAttachMaxBytes
  let mail: StoredExport['mail'] = attach ? 'attached' : 'link'
  try {
    const ttl = deps.config.ledger.exportLinkTtlSeconds
    const intro = `您导出的 ${job.total} 张发票（PDF、XML 及发票台账 Excel/CSV）`
    if (attach) {
      const content = zipPath ? await fs.promises.readFile(zipPath) : await deps.storage.download(job.zipFileId)
      await deps.mailer.send({
        to: job.email,
        subject: `武汉通发票导出（${job.total} 张）`,
        text: `${intro}见附件。\n\n此邮件由系统发送，请勿回复。`,
        attachments: [{ filename: `武汉通发票导出-${job.createdAt.slice(0, 10)}.zip`, content, contentType: 'application/zip' }],
        idempotencyKey: `export-${job.id}`,
      })
    } else {
      const url = (await deps.storage.tempUrls([job.zipFileId], { openid: job.openid, maxAgeSeconds: ttl }))[0]?.url
      if (!url) throw new Error('no link for the export')
      const mb = (job.zipBytes / 1024 / 1024).toFixed(1)
      await deps.mailer.send({
        to: job.email,
        subject: `武汉通发票导出（${job.total} 张）`,
        text: `${intro}共 ${mb} MB，超过附件大小上限，请通过下面的链接下载（${Math.round(ttl / 60)} 分钟内有效，过期后可在小程序「导出发票」中重新获取）：\n${url}\n\n此邮件由系统发送，请勿回复。`,
        attachments: [],
        idempotencyKey: `export-${job.id}`,
      })
    }
  } catch (e) {
    mail = 'failed'
    deps.log.warn('export mail failed', { exportId: job.id, to: maskEmail(job.email), error: e instanceof Error ? e.message : String(e) })
  }
  await deps.ledger.updateExport(job.id, ['done'], { mail })
  return { ...job, mail }
}
