import { createDocumentRenderer, defaultFontPath } from '../cloudfunctions/_core/adapters/documents'
import { buildInvoiceDocument } from '../cloudfunctions/_core/domain/invoice'

/**
 * Invoice documents: average time of a warm PDF render (5 warm-up renders, then 50 timed) and
 * the sizes of the PDF and the XML of a typical two-top-up enterprise invoice.
 * Run alone: npx tsx bench/render.bench.ts
 */
export async function benchRender(): Promise<{ renderMsAvg: number; pdfKb: number; xmlKb: number }> {
  const doc = buildInvoiceDocument({
    invoiceNo: '26422000000000012345',
    issuedAt: '2026-11-28T04:00:00.000Z',
    title: {
      kind: 'enterprise',
      name: '武汉光谷某某科技有限公司',
      taxId: '91420100177570439N',
      address: '武汉市洪山区珞喻路 1037 号',
      phone: '027-87541234',
      bankName: '中国工商银行武汉东湖支行',
      bankAccount: '3202000019000012345',
    },
    orders: [
      { id: 'T20261128000001ABCD', amountFen: 5000, cardNo: '3104000012345673' },
      { id: 'T20261128000002ABCD', amountFen: 10000, cardNo: '3104000012345681' },
    ],
    seller: {
      name: '武汉城市一卡通有限公司',
      taxId: '914201007483067290',
      address: '武汉市江汉区新华路 1 号',
      phone: '027-85555555',
      bankName: '招商银行武汉分行',
      bankAccount: '127900000010001',
      issuer: '王小明',
      taxCode: '6010000000000000000',
      itemName: '*预付卡销售和充值*武汉通卡充值',
      verifyBaseUrl: 'https://inv.example.cn/verify',
    },
  })
  const renderer = createDocumentRenderer({ fontPath: defaultFontPath() })
  let pdf: Buffer = Buffer.alloc(0)
  for (let i = 0; i < 5; i++) pdf = await renderer.renderPdf(doc)
  const runs = 50
  const start = process.hrtime.bigint()
  for (let i = 0; i < runs; i++) pdf = await renderer.renderPdf(doc)
  const renderMsAvg = Number(process.hrtime.bigint() - start) / 1e6 / runs
  const xml = renderer.renderXml(doc)
  const kb = (b: Buffer) => Math.round((b.length / 1024) * 10) / 10
  return { renderMsAvg: Math.round(renderMsAvg * 100) / 100, pdfKb: kb(pdf), xmlKb: kb(xml) }
}

if (require.main === module) {
  benchRender()
    .then((r) => {
      process.stdout.write(`pdf_render_ms: ${r.renderMsAvg}\npdf_kb: ${r.pdfKb}\nxml_kb: ${r.xmlKb}\n`)
    })
    .catch((e) => {
      process.stderr.write(String(e) + '\n')
      process.exit(1)
    })
}
