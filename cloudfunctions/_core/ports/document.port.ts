import type { InvoiceDocument } from '../../../types/domain'

/** Renders the people's copy (PDF) and the structured original (XML) of an invoice. */
export interface DocumentRenderer {
  renderPdf(doc: InvoiceDocument): Promise<Buffer>
  renderXml(doc: InvoiceDocument): Buffer
}
