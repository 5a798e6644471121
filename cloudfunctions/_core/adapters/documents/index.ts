/** Invoice documents (PDF + XML) for both clouds; see pdf.renderer.ts. */
export { createDocumentRenderer, defaultFontPath, renderInvoicePdf } from './pdf.renderer'
export { renderInvoiceXml, escapeXml } from './xml.renderer'
