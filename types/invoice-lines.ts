import type { InvoiceDocument } from './domain'

/**
 * What the 数电票 prints in its item table and remarks: one line per top-up. One home for the
 * line model, used by the PDF renderer (adapters/documents/pdf.renderer.ts) and by the invoice
 * detail (InvoiceDetail.printed), which the mini-program's preview draws, so the preview shows
 * the PDF's lines, not a summary of them. Pure.
 */

/** 5000 -> "50.00", -12345 -> "-123.45", 123456789 -> "1234567.89" (no grouping, like the 数电票). */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new Error(`amount must be an integer number of fen, got ${fen}`)
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** Quantities as printed: 1 -> "1", 2.5 -> "2.5" (no float noise). */
export function quantity(q: number): string {
  return Number.isInteger(q) ? String(q) : String(Number(q.toFixed(8)))
}

/** One printed line of the item table, cell by cell, as text. */
export interface PrintedLine {
  name: string
  spec: string
  unit: string
  qty: string
  price: string
  amount: string
  rate: string
  tax: string
}

/** What the detail page needs to draw page 1 like the PDF. */
export interface PrintedInvoice {
  lines: PrintedLine[]
  remarks: string
  seller: { name: string; taxId: string }
}

export function printedLine(it: InvoiceDocument['items'][number]): PrintedLine {
  // 不征税 / 免税 lines print *** in the tax column, never 0.00
  const untaxed = it.taxFen === 0 && /不征税|免税/.test(it.rateLabel)
  return {
    name: it.name,
    spec: it.spec,
    unit: it.unit,
    qty: quantity(it.quantity),
    price: yuan(it.unitPriceFen),
    amount: yuan(it.amountFen),
    rate: it.rateLabel,
    tax: untaxed ? '***' : yuan(it.taxFen),
  }
}

/** The remarks box: the document's remarks, then the buyer's address/phone and bank when given. */
export function printedRemarks(doc: InvoiceDocument): string {
  const b = doc.buyer
  const extra: string[] = []
  const addrPhone = [b.address, b.phone].filter(Boolean).join(' ')
  if (addrPhone) extra.push(`购买方地址电话：${addrPhone}`)
  const bank = [b.bankName, b.bankAccount].filter(Boolean).join(' ')
  if (bank) extra.push(`购买方开户银行及账号：${bank}`)
  return [doc.remarks.trim(), ...extra].filter(Boolean).join('\n')
}

export function printedInvoice(doc: InvoiceDocument): PrintedInvoice {
  return { lines: doc.items.map(printedLine), remarks: printedRemarks(doc), seller: { name: doc.seller.name, taxId: doc.seller.taxId } }
}
