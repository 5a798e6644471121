import type { InvoiceDocument } from '../../../types/domain'

/** Renders the people's copy (PDF) and the structured original (XML) of an invoice. */
export interface DocumentRenderer {
  renderPdf(doc: InvoiceDocument, opts?: RenderOptions): Promise<Buffer>
  renderXml(doc: InvoiceDocument, opts?: RenderOptions): Buffer
}

export interface RenderOptions {
  /** a sandbox document in WeChat cloud: a visible 测试样张 mark on the PDF, a test flag in the XML */
  sample?: boolean
}
