import type { InvoiceDocument } from '../../../../types/domain'
import { chinaDate, quantity, yuan } from './format'
import { xmlSafe } from '../../../../types/text-rules'

/**
 * The structured original of an invoice as UTF-8 XML: header (number, type, date), buyer,
 * seller, one <Item> per line, totals in yuan (2 decimals) with the integer fen alongside,
 * the total in capitals, remarks, issuer and the QR payload. Our own schema, not the tax
 * bureau's XSD: the provider's XML stays the legal original.
 */

// XML 1.0 allows tab, LF, CR and everything from U+0020 except U+FFFE/U+FFFF and lone surrogates

export function escapeXml(value: string): string {
  return xmlSafe(value).replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;'))
}

type Attrs = Record<string, string | number>

const attrs = (a?: Attrs) =>
  a
    ? Object.entries(a)
        .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
        .join('')
    : ''

/** <tag attrs>text</tag>, or <tag/> when the value is empty or null. */
function el(tag: string, value: string | number | null | undefined, a?: Attrs): string {
  const text = value === null || value === undefined ? '' : String(value)
  return text === '' ? `<${tag}${attrs(a)}/>` : `<${tag}${attrs(a)}>${escapeXml(text)}</${tag}>`
}

const money = (tag: string, fen: number) => el(tag, yuan(fen), { fen })

function block(tag: string, children: string[], indent: string, a?: Attrs): string {
  return `${indent}<${tag}${attrs(a)}>\n${children.map((c) => `${indent}  ${c}\n`).join('')}${indent}</${tag}>`
}

/**
 * opts.sample: a sandbox document. The root says test="true" and the header carries
 * <TestFlag>, so no reader can take it for an original.
 */
export function renderInvoiceXml(doc: InvoiceDocument, opts: { sample?: boolean } = {}): Buffer {
  const d = chinaDate(doc.issuedAt)
  const party = (tag: string, p: InvoiceDocument['buyer'] | InvoiceDocument['seller']) =>
    block(
      tag,
      [el('Name', p.name), el('TaxId', p.taxId), el('Address', p.address), el('Phone', p.phone), el('BankName', p.bankName), el('BankAccount', p.bankAccount)],
      '  ',
    )
  const items = doc.items.map((it, i) =>
    block(
      'Item',
      [
        el('Name', it.name),
        el('TaxCode', it.taxCode),
        el('Spec', it.spec),
        el('Unit', it.unit),
        el('Quantity', quantity(it.quantity)),
        money('UnitPrice', it.unitPriceFen),
        money('Amount', it.amountFen),
        el('TaxRate', it.rateLabel),
        money('Tax', it.taxFen),
      ],
      '    ',
      { line: i + 1 },
    ),
  )
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    opts.sample ? '<EInvoice version="1.0" test="true">' : '<EInvoice version="1.0">',
    block(
      'Header',
      [
        el('InvoiceNumber', doc.invoiceNo),
        el('InvoiceType', doc.typeLabel),
        el('IssueDate', `${d.y}-${d.m}-${d.d}`),
        el('IssueTime', `${d.y}-${d.m}-${d.d}T${d.time}+08:00`),
        el('IssuedAt', doc.issuedAt),
        ...(opts.sample ? [el('TestFlag', '测试样张 非正式发票', { value: 'true' })] : []),
      ],
      '  ',
    ),
    party('Buyer', doc.buyer),
    party('Seller', doc.seller),
    items.length ? `  <Items count="${items.length}">\n${items.join('\n')}\n  </Items>` : '  <Items count="0"/>',
    block(
      'Totals',
      [money('Amount', doc.amountFen), money('Tax', doc.taxFen), money('Total', doc.totalFen), el('TotalInCapitals', doc.totalCapital), el('Currency', 'CNY')],
      '  ',
    ),
    `  ${el('Remarks', doc.remarks)}`,
    `  ${el('Issuer', doc.issuer)}`,
    `  ${el('QrPayload', doc.qrPayload)}`,
    '</EInvoice>',
    '',
  ].join('\n')
  return Buffer.from(xml, 'utf8')
}
