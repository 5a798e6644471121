import { buildInvoiceDocument, type SellerConfig } from '../../../cloudfunctions/_core/domain/invoice'
import { createDocumentRenderer, defaultFontPath, escapeXml } from '../../../cloudfunctions/_core/adapters/documents'
import type { TitleSnapshot } from '../../../types/domain'

const SELLER: SellerConfig = {
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
}
const TITLE: TitleSnapshot = {
  kind: 'enterprise',
  name: 'A&B <公司>',
  taxId: '91420100177570439N',
  address: null,
  phone: null,
  bankName: null,
  bankAccount: null,
}
const doc = buildInvoiceDocument({
  invoiceNo: '26422000000000012345',
  issuedAt: '2026-11-28T17:30:00.000Z',
  title: TITLE,
  orders: [
    { id: 'T20261128000001ABCD', amountFen: 5000, cardNo: '3104000012345673' },
    { id: 'T20261128000002ABCD', amountFen: 140950, cardNo: '3104000012345673' },
  ],
  seller: SELLER,
})
const renderer = createDocumentRenderer({ fontPath: defaultFontPath() })

interface Node {
  name: string
  attrs: Record<string, string>
  children: Node[]
  text: string
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(parseInt(e[1] === 'x' ? e.slice(2) : e.slice(1), e[1] === 'x' ? 16 : 10)) : ENTITY[e],
  )
}

/**
 * A strict little XML parser (no DOMParser in node): one root, balanced tags, attributes quoted,
 * no raw `<` or stray `&` in text or attributes. Throws on anything not well-formed.
 */
function parseXml(xml: string): Node {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/
  if (!decl.test(xml)) throw new Error('missing XML declaration')
  const body = xml.replace(decl, '')
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy
  const stack: Node[] = []
  let root: Node | null = null
  let m: RegExpExecArray | null
  let pos = 0
  while (pos < body.length && (m = token.exec(body))) {
    pos = token.lastIndex
    const [, close, name, rawAttrs, selfClose, text] = m
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(text) || text.includes(']]>')) throw new Error(`bad text ${text}`)
      if (stack.length) stack[stack.length - 1].text += decode(text)
      else if (text.trim()) throw new Error('text outside the root')
      continue
    }
    if (close) {
      const open = stack.pop()
      if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name}>`)
      continue
    }
    const attrs: Record<string, string> = {}
    for (const a of rawAttrs.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(a[2])) throw new Error('bad attribute')
      if (a[1] in attrs) throw new Error('duplicate attribute')
      attrs[a[1]] = decode(a[2])
    }
    const node: Node = { name, attrs, children: [], text: '' }
    if (stack.length) stack[stack.length - 1].children.push(node)
    else if (root) throw new Error('two roots')
    else root = node
    if (!selfClose) stack.push(node)
  }
  if (pos !== body.length) throw new Error(`not well-formed at ${pos}: ${body.slice(pos, pos + 40)}`)
  if (stack.length || !root) throw new Error('unclosed tags')
  return root
}

const child = (n: Node, ...names: string[]): Node =>
  names.reduce((cur, name) => {
    const next = cur.children.find((c) => c.name === name)
    if (!next) throw new Error(`no <${name}> in <${cur.name}>`)
    return next
  }, n)

describe('invoice XML', () => {
  const buf = renderer.renderXml(doc)
  const xml = buf.toString('utf8')
  const root = parseXml(xml)

  it('is well-formed UTF-8 with one <EInvoice> root', () => {
    expect(Buffer.isBuffer(buf)).toBe(true)
    expect(Buffer.from(xml, 'utf8').equals(buf)).toBe(true)
    expect(root.name).toBe('EInvoice')
    expect(root.children.map((c) => c.name)).toEqual(['Header', 'Buyer', 'Seller', 'Items', 'Totals', 'Remarks', 'Issuer', 'QrPayload'])
  })

  it('has the header: number, type, date in UTC+8', () => {
    expect(child(root, 'Header', 'InvoiceNumber').text).toBe('26422000000000012345')
    expect(child(root, 'Header', 'InvoiceType').text).toBe('电子发票（普通发票）')
    expect(child(root, 'Header', 'IssueDate').text).toBe('2026-11-29')
    expect(child(root, 'Header', 'IssueTime').text).toBe('2026-11-29T01:30:00+08:00')
  })

  it('escapes the buyer name and keeps it exact', () => {
    expect(xml).toContain('<Name>A&amp;B &lt;公司&gt;</Name>')
    expect(child(root, 'Buyer', 'Name').text).toBe('A&B <公司>')
    expect(child(root, 'Buyer', 'TaxId').text).toBe('91420100177570439N')
    expect(child(root, 'Buyer', 'Address').text).toBe('')
    expect(child(root, 'Seller', 'Name').text).toBe('武汉城市一卡通有限公司')
    expect(child(root, 'Seller', 'BankAccount').text).toBe('127900000010001')
  })

  it('one <Item> per line: 预付卡销售和充值, tax code, 不征税, amounts in yuan and fen', () => {
    const items = child(root, 'Items').children
    expect(items).toHaveLength(2)
    expect(items[1].attrs.line).toBe('2')
    expect(child(items[0], 'Name').text).toBe('*预付卡销售和充值*武汉通卡充值')
    expect(child(items[0], 'TaxCode').text).toBe('6010000000000000000')
    expect(child(items[0], 'TaxRate').text).toBe('不征税')
    expect(child(items[0], 'Quantity').text).toBe('1')
    expect(child(items[1], 'Amount')).toMatchObject({ text: '1409.50', attrs: { fen: '140950' } })
    expect(child(items[1], 'UnitPrice')).toMatchObject({ text: '1409.50', attrs: { fen: '140950' } })
    expect(child(items[1], 'Tax')).toMatchObject({ text: '0.00', attrs: { fen: '0' } })
  })

  it('totals in figures and capitals, remarks, issuer and the 数电票 QR payload', () => {
    expect(child(root, 'Totals', 'Amount')).toMatchObject({ text: '1459.50', attrs: { fen: '145950' } })
    expect(child(root, 'Totals', 'Tax').text).toBe('0.00')
    expect(child(root, 'Totals', 'Total')).toMatchObject({ text: '1459.50', attrs: { fen: '145950' } })
    expect(child(root, 'Totals', 'TotalInCapitals').text).toBe('壹仟肆佰伍拾玖圆伍角整')
    expect(child(root, 'Remarks').text).toContain('T20261128000001ABCD')
    expect(child(root, 'Issuer').text).toBe('王小明')
    expect(child(root, 'QrPayload').text).toBe(doc.qrPayload)
    // the 数电票 payload (DOMAIN.md), not a verification URL
    expect(child(root, 'QrPayload').text).toMatch(/^01,32,,26422000000000012345,1459\.50,20261129,,[0-9A-F]{4}$/)
  })

  it('escapes quotes and apostrophes, drops characters XML 1.0 forbids', () => {
    expect(escapeXml(`a"b'c&d<e>f`)).toBe('a&quot;b&apos;c&amp;d&lt;e&gt;f')
    expect(escapeXml('x\u0000y\u001bz\ttab')).toBe('xyz\ttab')
    const odd = renderer.renderXml({ ...doc, remarks: 'bell\u0007 & "q" \'a\' </Remarks><x>' }).toString('utf8')
    expect(child(parseXml(odd), 'Remarks').text).toBe('bell & "q" \'a\' </Remarks><x>')
  })

  it('the mini parser itself rejects broken XML', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    expect(() => parseXml(`${head}<a><b></a></b>`)).toThrow()
    expect(() => parseXml(`${head}<a>A&B</a>`)).toThrow()
    expect(() => parseXml(`${head}<a>1 < 2</a>`)).toThrow()
    expect(() => parseXml(`${head}<a></a><b/>`)).toThrow()
  })
})
