import type { RecordedSubscribeMessage } from '../../cloudfunctions/_core/adapters/local/sandbox.subscribe'
import { esc, layout as pageLayout } from './pages'
import type { CapturedMail, SmtpCapture } from './smtp-capture'

/**
 * Developer pages for what the local cloud "sent": the captured mailbox (/dev/mail) and the
 * subscribe-message sandbox (/dev/messages), in pages.ts's plain tool look with a wider column. The page builders are pure; devMailRoute
 * maps the routes below to responses so server.ts only has to write them out:
 *   GET /dev/mail                         captured mail, newest first (?to= filters)
 *   GET /dev/mail/<id>                    one mail: headers, attachments, text and HTML body
 *   GET /dev/mail/<id>/attachments/<i>    an attachment's bytes, as a download
 *   GET /dev/mail/<id>/raw                the message as received (.eml)
 *   GET /dev/api/mail                     JSON { mails } (?to=, ?limit=)
 *   GET /dev/messages                     recorded subscribe messages (openids masked)
 *   GET /dev/api/messages                 JSON { messages } (?openid=, ?limit=)
 */
const MAIL_CSS = `pre{white-space:pre-wrap;word-break:break-all;font-size:13px;background:#fafafa;border:1px solid #e4e4e7;padding:8px;margin:0}
  iframe{width:100%;height:420px;border:1px solid #e4e4e7;background:#fff}
  code{font-size:12px}`

const layout = (title: string, body: string) => pageLayout(title, body, { wide: true, css: MAIL_CSS })

/** 2026-11-28 12:30:05 (UTC+8) */
function at(iso: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

function size(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/** oAbc…wxyz: enough to tell test users apart on screen, not the identity itself */
export function maskOpenid(openid: string): string {
  return openid.length > 10 ? `${openid.slice(0, 4)}…${openid.slice(-4)}` : '****'
}

const attachmentHref = (id: string, i: number) => `/dev/mail/${encodeURIComponent(id)}/attachments/${i}`

const attachmentLinks = (m: CapturedMail) =>
  m.attachments.length
    ? m.attachments
        .map((a, i) => `<a href="${attachmentHref(m.id, i)}">${esc(a.filename ?? `附件${i + 1}`)}</a> <span class="muted">${size(a.size)}</span>`)
        .join('<br>')
    : '<span class="muted">无</span>'

export function mailListPage(items: CapturedMail[], opts: { to?: string } = {}): string {
  const rows = items
    .map(
      (m) => `<tr><td>${esc(at(m.receivedAt))}</td><td>${esc((m.to.length ? m.to : m.envelopeTo).join(', '))}</td>
        <td><a href="/dev/mail/${encodeURIComponent(m.id)}">${esc(m.subject || '（无主题）')}</a></td><td>${attachmentLinks(m)}</td></tr>`,
    )
    .join('')
  return layout(
    '邮件',
    `<div class="box"><p>本地云不发出真实邮件：所有邮件都由本地 SMTP 捕获并保存在这里（重启后仍在）。</p>
      <form method="get" action="/dev/mail"><input name="to" placeholder="按收件人筛选，例如 a@example.com" value="${esc(opts.to ?? '')}"></form>
      <p class="muted">共 ${items.length} 封${opts.to ? `（收件人 ${esc(opts.to)}）` : ''} · <a href="/dev/api/mail">JSON</a></p></div>
    <div class="box">${
      items.length ? `<table><tr><th>收到时间（UTC+8）</th><th>收件人</th><th>主题</th><th>附件</th></tr>${rows}</table>` : '<p class="muted">还没有邮件。</p>'
    }</div>`,
  )
}

export function mailDetailPage(m: CapturedMail | null): string {
  if (!m) return layout('邮件', `<div class="box err">找不到这封邮件。</div><p><a href="/dev/mail">返回邮件列表</a></p>`)
  const atts = m.attachments
    .map(
      (a, i) => `<tr><td>${i}</td><td><a href="${attachmentHref(m.id, i)}">${esc(a.filename ?? `附件${i + 1}`)}</a></td>
        <td>${esc(a.contentType)}</td><td>${size(a.size)}</td><td><code>${esc(a.sha256)}</code></td></tr>`,
    )
    .join('')
  return layout(
    m.subject || '邮件',
    `<p><a href="/dev/mail">← 邮件列表</a></p>
    <div class="box"><table>
      <tr><th>主题</th><td>${esc(m.subject)}</td></tr>
      <tr><th>发件人</th><td>${esc(m.from)}</td></tr>
      <tr><th>收件人</th><td>${esc(m.to.join(', '))}${m.envelopeTo.join() !== m.to.join() ? ` <span class="muted">（信封：${esc(m.envelopeTo.join(', '))}）</span>` : ''}</td></tr>
      <tr><th>日期</th><td>${esc(at(m.date))} <span class="muted">收到 ${esc(at(m.receivedAt))}</span></td></tr>
      <tr><th>Message-ID</th><td><code>${esc(m.messageId ?? '—')}</code></td></tr>
      <tr><th>大小</th><td>${size(m.size)} · <a href="/dev/mail/${encodeURIComponent(m.id)}/raw">下载原始邮件（.eml）</a></td></tr>
    </table></div>
    <div class="box"><p>附件</p>${m.attachments.length ? `<table><tr><th>#</th><th>文件名</th><th>类型</th><th>大小</th><th>SHA-256</th></tr>${atts}</table>` : '<p class="muted">无附件</p>'}</div>
    <div class="box"><p>纯文本正文</p><pre>${esc(m.text || '（无）')}</pre></div>
    ${m.html ? `<div class="box"><p>HTML 正文 <span class="muted">（沙箱内显示，脚本不运行）</span></p><iframe sandbox="" srcdoc="${esc(m.html)}"></iframe></div>` : ''}`,
  )
}

export function messagesPage(rows: RecordedSubscribeMessage[]): string {
  const body = rows
    .map((r) => {
      const data = Object.entries(r.data ?? {})
        .map(([k, v]) => `<code>${esc(k)}</code>：${esc(fieldText((v as { value?: unknown } | null)?.value))}`)
        .join('<br>')
      const result =
        r.result === 'ok' ? '<span class="ok">已送达</span>' : `<span class="err">${esc(r.result)}</span> <span class="muted">${esc(r.errmsg ?? '')}</span>`
      return `<tr><td>${r.seq}</td><td>${esc(at(r.sentAt))}</td><td><code>${esc(maskOpenid(r.openid))}</code></td>
        <td>${esc(r.templateKey)}<br><span class="muted">${esc(r.templateId)}</span></td><td><code>${esc(r.page)}</code></td><td>${data}</td><td>${result}</td></tr>`
    })
    .join('')
  return layout(
    '订阅消息',
    `<div class="box"><p>本地云不连接微信：订阅消息由沙箱按微信的字段规则校验并记录在这里（违规返回 47003）。配额由我们自己的计数管理。</p>
      <p class="muted">共 ${rows.length} 条 · <a href="/dev/api/messages">JSON</a></p></div>
    <div class="box">${
      rows.length
        ? `<table><tr><th>#</th><th>时间（UTC+8）</th><th>openid</th><th>模板</th><th>页面</th><th>内容</th><th>结果</th></tr>${body}</table>`
        : '<p class="muted">还没有订阅消息。</p>'
    }</div>`,
  )
}

// ---------------------------------------------------------------------------------------

export interface DevMailResponse {
  status: number
  headers: Record<string, string>
  body: string | Buffer
}

export interface DevMailSources {
  mail?: Pick<SmtpCapture, 'list' | 'get' | 'raw' | 'getAttachment'> | null
  messages?: { list(filter?: { openid?: string; limit?: number }): RecordedSubscribeMessage[] } | null
}

const html = (status: number, body: string): DevMailResponse => ({
  status,
  headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  body,
})
const json = (status: number, body: unknown): DevMailResponse => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
})
const notFound = (message: string) => json(404, { ok: false, error: { code: 'COMMON.BAD_REQUEST', message } })

/** a download that the browser never renders in the page's origin */
function download(filename: string, contentType: string, content: Buffer): DevMailResponse {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_') || 'attachment'
  return {
    status: 200,
    headers: {
      'Content-Type': contentType || 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
    body: content,
  }
}

const limitOf = (url: URL) => {
  const n = Number(url.searchParams.get('limit') ?? 200)
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : 200
}

/**
 * The dev mail and message routes. Returns null for any other path (or method), so the server
 * can try it before its own routes: `const r = await devMailRoute(src, method, url); if (r) ...`.
 */
/**
 * /dev/mail/<id>, /dev/mail/<id>/raw, /dev/mail/<id>/attachments/<n>, as the RegExpExecArray
 * shape [whole, id, 'raw' | 'attachments/<n>', n] the route reads; null for any other path.
 */
function mailPath(p: string): [string, string, string | undefined, string | undefined] | null {
  const parts = p.split('/')
  if (parts.length < 4 || parts[0] !== '' || parts[1] !== 'dev' || parts[2] !== 'mail' || !parts[3]) return null
  if (parts.length === 4) return [p, parts[3], undefined, undefined]
  if (parts.length === 5 && parts[4] === 'raw') return [p, parts[3], 'raw', undefined]
  if (parts.length === 6 && parts[4] === 'attachments' && /^\d+$/.test(parts[5])) return [p, parts[3], `attachments/${parts[5]}`, parts[5]]
  return null
}

/** a subscribe field's value as text, whatever shape the stored message gave it */
const fieldText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v == null ? '' : JSON.stringify(v))

export async function devMailRoute(src: DevMailSources, method: string, url: URL): Promise<DevMailResponse | null> {
  if (method !== 'GET') return null
  const p = url.pathname
  const mail = src.mail ?? null

  if (p === '/dev/mail' || p === '/dev/mail/' || p === '/dev/api/mail') {
    if (!mail) return p === '/dev/api/mail' ? notFound('本地邮件捕获未启动') : html(404, layout('邮件', '<div class="box err">本地邮件捕获未启动。</div>'))
    const to = url.searchParams.get('to')?.trim() || undefined
    const items = mail.list({ to, limit: limitOf(url) })
    return p === '/dev/api/mail' ? json(200, { mails: items }) : html(200, mailListPage(items, { to }))
  }
  const one = mailPath(p)
  if (one) {
    if (!mail) return notFound('本地邮件捕获未启动')
    let id: string
    try {
      id = decodeURIComponent(one[1])
    } catch {
      return notFound('找不到这封邮件')
    }
    if (!one[2]) {
      const m = mail.get(id)
      return html(m ? 200 : 404, mailDetailPage(m))
    }
    if (one[2] === 'raw') {
      const raw = mail.raw(id)
      return raw ? download(`${id}.eml`, 'message/rfc822', raw) : notFound('找不到这封邮件')
    }
    const a = await mail.getAttachment(id, Number(one[3]))
    return a ? download(a.filename ?? `attachment-${one[3]}`, a.contentType, a.content) : notFound('找不到这个附件')
  }

  if (p === '/dev/messages' || p === '/dev/api/messages') {
    if (!src.messages)
      return p === '/dev/api/messages' ? notFound('订阅消息沙箱未启用') : html(404, layout('订阅消息', '<div class="box err">订阅消息沙箱未启用。</div>'))
    const openid = url.searchParams.get('openid')?.trim() || undefined
    const rows = src.messages.list({ openid, limit: limitOf(url) })
    return p === '/dev/api/messages' ? json(200, { messages: rows }) : html(200, messagesPage(rows))
  }
  return null
}
