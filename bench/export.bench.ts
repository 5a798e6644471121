/**
 * `npm run bench:export`: one export (ZIP of every PDF and XML + the ledger as XLSX and CSV) of
 * 1,000 issued invoices, through the service on the local cloud's real parts (SQLite on disk,
 * file-system storage). Prints `name: value` lines:
 *
 *   zip_1000_s           wall time of createExport for 1,000 invoices (target < 10)
 *   export_peak_rss_mb   the process's peak resident memory while it ran (target < 300)
 *   export_rss_before_mb the resident memory before it started (the renderer and font used to seed are loaded)
 *   export_zip_mb        size of the ZIP
 *   export_files         files in the ZIP
 *
 * The invoices are seeded straight into the store (issuing is not what this measures): one real
 * PDF and XML rendered once, stored 1,000 times with a per-invoice trailer, so each file has its
 * own digest and the ZIP cannot deduplicate anything.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createExport } from '../cloudfunctions/_core/app/export.service'
import { newInvoiceRecord } from '../cloudfunctions/_core/app/invoice-record'
import { buildInvoiceDocument } from '../cloudfunctions/_core/domain/invoice'
import { jsonLogger } from '../cloudfunctions/_core/runtime/logger'
import { createLocalRuntime } from '../cloudfunctions/_core/wiring/local'

const N = Number(process.env.BENCH_EXPORT_INVOICES ?? 1000)
const out = (name: string, value: number, digits = 2) => process.stdout.write(`${name}: ${value.toFixed(digits)}\n`)

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-bench-export-'))
  const rt = createLocalRuntime({
    dataDir: dir,
    env: {},
    baseUrl: () => 'http://127.0.0.1:0',
    now: () => new Date(),
    log: jsonLogger(() => undefined),
    smtp: { host: '127.0.0.1', port: 9 },
    deliverPayCallback: async () => ({ errcode: 0 }),
  })
  try {
    const { deps } = rt
    const openid = 'oBenchExport000000000000001'
    const title = {
      kind: 'enterprise' as const,
      name: '武汉示例科技有限公司',
      taxId: '91420100MA4K0000XJ',
      address: null,
      phone: null,
      bankName: null,
      bankAccount: null,
    }
    const issuedAt = new Date().toISOString()
    const doc = buildInvoiceDocument({
      invoiceNo: '26421000000000900000',
      issuedAt,
      title,
      orders: [{ id: 'WT0000000000000000000000001', amountFen: 5000, cardNo: '3104000012345673' }],
      seller: deps.config.invoice.seller,
    })
    const renderer = deps.renderer()
    const pdf = await renderer.renderPdf(doc)
    const xml = renderer.renderXml(doc)
    for (let i = 0; i < N; i++) {
      const id = `INVB${String(i).padStart(6, '0')}`
      const no = `2642100000${String(900000 + i).padStart(10, '0')}`
      const orderId = `WTB${String(i).padStart(24, '0')}`
      await deps.invoices.create(
        newInvoiceRecord({
          id,
          openid,
          clientToken: `tok-${id}`,
          source: 'single',
          title,
          email: null,
          amountFen: 5000,
          orderIds: [orderId],
          cards: [{ cardNo: '3104000012345673', nickname: '通勤卡' }],
          requestedAt: issuedAt,
        }),
        [{ orderId, cardNo: '3104000012345673' }],
      )
      const p = await deps.storage.upload({ cloudPath: `users/${openid}/invoices/${no}.pdf`, content: Buffer.concat([pdf, Buffer.from(`%${no}\n`)]) })
      const x = await deps.storage.upload({ cloudPath: `users/${openid}/invoices/${no}.xml`, content: Buffer.concat([xml, Buffer.from(`<!-- ${no} -->\n`)]) })
      await deps.invoices.update(id, ['requested'], { status: 'issued', invoiceNo: no, issuedAt, pdfFileId: p.fileID, xmlFileId: x.fileID })
    }
    if (global.gc) global.gc()
    const before = process.memoryUsage().rss
    let peak = before
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const t0 = process.hrtime.bigint()
    const view = await createExport(deps, openid, { filter: {}, clientToken: 'bench-export-1' })
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    if (view.status !== 'done' || view.total !== N) throw new Error(`export not done: ${JSON.stringify(view)}`)
    out('zip_1000_s', seconds)
    out('export_peak_rss_mb', peak / 1024 / 1024, 1)
    out('export_rss_before_mb', before / 1024 / 1024, 1)
    out('export_zip_mb', (view.zipBytes ?? 0) / 1024 / 1024, 1)
    out('export_files', N * 2 + 2, 0)
  } finally {
    rt.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
