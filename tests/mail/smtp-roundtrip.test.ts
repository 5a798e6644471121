import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { invoiceMail } from '../../cloudfunctions/_core/app/invoice-mail'
import { smtpMailer, type SmtpMailer } from '../../cloudfunctions/_core/adapters/mail/nodemailer.mailer'
import { startSmtpCapture, type SmtpCapture } from '../../scripts/local-cloud/smtp-capture'

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex')

// a PDF-looking body with every byte value, so any re-encoding would show
const pdf = Buffer.concat([
  Buffer.from('%PDF-1.7\n'),
  crypto.randomBytes(64 * 1024),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\n%%EOF\n'),
])
const xml = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<EInvoice><BuyerName>武汉某某科技有限公司</BuyerName><Total>50.00</Total></EInvoice>\n')
const invoice = {
  title: { name: '武汉某某科技有限公司' },
  amountFen: 5000,
  invoiceNo: '26421000000000000123',
  issuedAt: '2026-11-28T04:30:00Z',
  email: 'Finance@Example.com',
}

let dir: string
let capture: SmtpCapture
let mailer: SmtpMailer

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-mail-'))
  capture = await startSmtpCapture({ dir })
  mailer = smtpMailer({
    host: capture.host,
    port: capture.port,
    secure: false,
    user: 'local',
    pass: 'secret',
    from: '武汉通电子发票 <invoice@wuhantong.local>',
  })
})
afterAll(async () => {
  mailer.close()
  await capture.close()
})

describe('invoice mail over real SMTP into the local capture', () => {
  it('arrives with the Chinese subject intact and both attachments byte-identical', async () => {
    const since = new Date()
    const { messageId } = await mailer.send(invoiceMail(invoice, { pdf, xml, invoiceNo: invoice.invoiceNo }))
    expect(messageId).toMatch(/^<.+@.+>$/)

    const [m] = capture.list({ to: 'finance@example.com', since })
    expect(m).toBeDefined()
    expect(m.subject).toBe('【武汉通】电子发票 26421000000000000123 ¥50.00')
    expect(m.messageId).toBe(messageId)
    expect(m.from).toContain('invoice@wuhantong.local')
    expect(m.to).toEqual(['finance@example.com'])
    expect(m.text).toContain('没收到邮件？请查看垃圾邮件箱')
    expect(m.html).toContain('武汉某某科技有限公司')
    expect(m.attachments).toEqual([
      { filename: '26421000000000000123.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) },
      { filename: '26421000000000000123.xml', contentType: 'application/xml', size: xml.length, sha256: sha256(xml) },
    ])

    const got = await capture.getAttachment(m.id, 0)
    expect(got?.content.equals(pdf)).toBe(true)
    expect((await capture.getAttachment(m.id, 1))?.content.equals(xml)).toBe(true)
    expect(await capture.getAttachment(m.id, 2)).toBeNull()
    expect(capture.get(m.id)).toEqual(m)
    expect(capture.raw(m.id)?.toString('latin1')).toContain('Subject:')
  })

  it('failNext(1): the first send throws (451), the retry is accepted', async () => {
    const since = new Date()
    capture.failNext(1)
    const mail = invoiceMail(invoice, { pdf, xml, invoiceNo: invoice.invoiceNo }, { to: 'retry@example.com' })
    await expect(mailer.send(mail)).rejects.toThrow(/451/)
    expect(capture.list({ to: 'retry@example.com', since })).toHaveLength(0)
    await mailer.send(mail)
    expect(capture.list({ to: 'retry@example.com', since })).toHaveLength(1)
  })

  it('waitFor resolves when a matching mail arrives', async () => {
    const since = new Date()
    const waiting = capture.waitFor({ to: 'later@example.com', since }, 5000)
    await mailer.send({ to: 'later@example.com', subject: '稍后', text: '内容', attachments: [] })
    expect((await waiting).subject).toBe('稍后')
  })

  it('keeps captured mail on disk across a restart', async () => {
    const before = capture.list().length
    const again = await startSmtpCapture({ dir })
    try {
      const all = again.list()
      expect(all).toHaveLength(before)
      const m = again.list({ to: 'finance@example.com' })[0]
      expect((await again.getAttachment(m.id, 0))?.content.equals(pdf)).toBe(true)
    } finally {
      await again.close()
    }
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(before)
  })

  it('refuses a message over the size limit with a permanent error', async () => {
    const small = await startSmtpCapture({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'wt-mail-')), maxSize: 10 * 1024 })
    const m = smtpMailer({ host: small.host, port: small.port, secure: false, from: 'a@b.cn' })
    try {
      await expect(m.send(invoiceMail(invoice, { pdf, xml, invoiceNo: invoice.invoiceNo }))).rejects.toThrow(/552|size/i)
      expect(small.list()).toHaveLength(0)
    } finally {
      m.close()
      await small.close()
    }
  })

  it('a send to a closed port throws', async () => {
    const dead = await startSmtpCapture({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'wt-mail-')) })
    const port = dead.port
    await dead.close()
    const m = smtpMailer({ host: '127.0.0.1', port, secure: false, from: 'a@b.cn', connectionTimeoutMs: 2000 })
    await expect(m.send({ to: 'x@example.com', subject: 's', text: 't', attachments: [] })).rejects.toThrow()
    m.close()
  })

  it('ignores ids that are not capture ids (no path traversal)', async () => {
    expect(capture.get('../../etc/passwd')).toBeNull()
    expect(capture.raw('../x')).toBeNull()
    expect(await capture.getAttachment('../x', 0)).toBeNull()
  })

  it('clear() forgets and deletes everything', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-mail-'))
    const c = await startSmtpCapture({ dir: d })
    const m = smtpMailer({ host: c.host, port: c.port, secure: false, from: 'a@b.cn' })
    try {
      await m.send({ to: 'x@example.com', subject: 's', text: 't', attachments: [] })
      expect(c.list()).toHaveLength(1)
      c.clear()
      expect(c.list()).toHaveLength(0)
      expect(fs.readdirSync(d)).toHaveLength(0)
    } finally {
      m.close()
      await c.close()
    }
  })
})
