import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SubscribeSandbox } from '../../cloudfunctions/_core/adapters/local/sandbox.subscribe'
import { openDb } from '../../cloudfunctions/_core/adapters/local/sqlite.db'
import { invoiceMail } from '../../cloudfunctions/_core/app/invoice-mail'
import { smtpMailer } from '../../cloudfunctions/_core/adapters/mail/nodemailer.mailer'
import { devMailRoute, mailDetailPage, mailListPage, maskOpenid, messagesPage } from '../../scripts/local-cloud/dev-mail-pages'
import { startSmtpCapture, type SmtpCapture } from '../../scripts/local-cloud/smtp-capture'

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(2048)])
const xml = Buffer.from('<?xml version="1.0"?><EInvoice/>')
const db = openDb(':memory:')
const sandbox = new SubscribeSandbox(db)
let capture: SmtpCapture
let id: string

beforeAll(async () => {
  capture = await startSmtpCapture({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'wt-mail-')) })
  const mailer = smtpMailer({ host: capture.host, port: capture.port, secure: false, from: 'a@b.cn' })
  await mailer.send(
    invoiceMail(
      { title: { name: '<script>alert(1)</script>' }, amountFen: 5000, issuedAt: '2026-11-28T04:30:00Z', email: 'p@example.com' },
      { pdf, xml, invoiceNo: '26421000000000000123' },
    ),
  )
  mailer.close()
  id = capture.list()[0].id
  await sandbox.send({
    openid: 'oAbcdefghijklmnopqrstuvwxyz1',
    templateKey: 'invoiceIssued',
    templateId: 'local-invoice-issued',
    page: 'pages/invoice/detail?id=1',
    data: { thing1: { value: '<img src=x onerror=alert(1)>' } },
  })
})
afterAll(async () => {
  await capture.close()
  db.close()
})

const get = (p: string) => devMailRoute({ mail: capture, messages: sandbox }, 'GET', new URL(p, 'http://local'))

describe('developer pages for captured mail and subscribe messages', () => {
  it('lists mail with recipient, subject and attachment download links', () => {
    const html = mailListPage(capture.list())
    expect(html).toContain('p@example.com')
    expect(html).toContain('【武汉通】电子发票 26421000000000000123 ¥50.00')
    expect(html).toContain(`href="/dev/mail/${id}/attachments/0"`)
    expect(html).toContain(`href="/dev/mail/${id}/attachments/1"`)
    expect(html).toContain('26421000000000000123.pdf')
  })

  it('shows one mail with its text escaped and the HTML body in a sandboxed frame', () => {
    const html = mailDetailPage(capture.get(id))
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toContain('<iframe sandbox=""')
    expect(mailDetailPage(null)).toContain('找不到')
  })

  it('masks openids on the messages page and escapes values', () => {
    const html = messagesPage(sandbox.list())
    expect(html).toContain(maskOpenid('oAbcdefghijklmnopqrstuvwxyz1'))
    expect(html).not.toContain('oAbcdefghijklmnopqrstuvwxyz1')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('local-invoice-issued')
  })

  it('serves the routes: pages, JSON, attachment bytes and raw mail', async () => {
    expect((await get('/dev/mail'))?.status).toBe(200)
    expect((await get(`/dev/mail/${id}`))?.status).toBe(200)
    const api = await get('/dev/api/mail?to=p@example.com')
    expect(JSON.parse(String(api!.body)).mails).toHaveLength(1)
    const att = await get(`/dev/mail/${id}/attachments/0`)
    expect(att?.headers['Content-Type']).toBe('application/pdf')
    expect(att?.headers['Content-Disposition']).toContain('attachment; filename="26421000000000000123.pdf"')
    expect(Buffer.isBuffer(att?.body) && att.body.equals(pdf)).toBe(true)
    expect((await get(`/dev/mail/${id}/raw`))?.headers['Content-Type']).toBe('message/rfc822')
    expect((await get(`/dev/mail/${id}/attachments/9`))?.status).toBe(404)
    expect((await get('/dev/mail/%E0%A4%A/attachments/0'))?.status).toBe(404)
    const msgs = JSON.parse(String((await get('/dev/api/messages?openid=oAbcdefghijklmnopqrstuvwxyz1'))!.body)).messages
    expect(msgs).toHaveLength(1)
    expect((await get('/dev/messages'))?.status).toBe(200)
    expect(await get('/dev/other')).toBeNull()
    expect(await devMailRoute({ mail: capture }, 'POST', new URL('http://local/dev/mail'))).toBeNull()
  })

  it('says so when the capture or the sandbox is not running', async () => {
    expect((await devMailRoute({}, 'GET', new URL('http://local/dev/api/mail')))?.status).toBe(404)
    expect((await devMailRoute({}, 'GET', new URL('http://local/dev/messages')))?.status).toBe(404)
  })
})
