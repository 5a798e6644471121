import type { CapturedSms } from '../../cloudfunctions/_core/adapters/sms/capture.sms'
import { esc, layout } from './pages'

/**
 * The captured text messages of the local cloud (like /dev/mail for e-mail):
 *   GET  /dev/sms             the messages, newest first (?phone= filters): what the handset would show
 *   GET  /dev/api/sms         the same as JSON, for tests
 *   POST /dev/api/sms/fail    { n }: the next n sends fail (the gateway is down)
 * The capture stands for the person's phone, so the number is shown in full here only.
 */
export interface DevSmsSource {
  list(opts: { phone?: string; limit?: number }): CapturedSms[]
  failNext(n: number): void
}

export type DevSmsResponse = { status: number; headers: Record<string, string>; body: string }

const html = (status: number, body: string): DevSmsResponse => ({
  status,
  headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  body,
})
const json = (status: number, body: unknown): DevSmsResponse => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
})

function smsListPage(items: CapturedSms[], phone: string | undefined): string {
  const rows = items
    .map(
      (m) =>
        `<tr><td>${esc(m.at.replace('T', ' ').slice(0, 19))}</td><td>${esc(m.phone)}</td><td>${esc(m.text)}</td><td class="muted">模板 ${esc(m.templateId)}：${esc(m.params.join(' | '))}</td></tr>`,
    )
    .join('')
  return layout(
    '短信',
    `<div class="box"><p>本地云发出的短信（不会真的发出）。共 ${items.length} 条。</p>
      <form method="get" action="/dev/sms"><label>按手机号筛选 <input name="phone" inputmode="numeric" value="${esc(phone ?? '')}" placeholder="例如 13800138000"></label></form></div>
     ${items.length ? `<table><tr><th>时间（UTC）</th><th>手机号</th><th>内容</th><th>模板参数</th></tr>${rows}</table>` : '<div class="box muted">还没有短信。</div>'}`,
    { wide: true },
  )
}

export async function devSmsRoute(src: DevSmsSource, method: string, url: URL, body: () => Promise<Record<string, unknown>>): Promise<DevSmsResponse | null> {
  const p = url.pathname
  if (method === 'GET' && (p === '/dev/sms' || p === '/dev/sms/' || p === '/dev/api/sms')) {
    const phone = url.searchParams.get('phone')?.trim() || undefined
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 200) || 200, 1), 1000)
    const items = src.list({ phone, limit })
    return p === '/dev/api/sms' ? json(200, { sms: items }) : html(200, smsListPage(items, phone))
  }
  if (method === 'POST' && p === '/dev/api/sms/fail') {
    const b = await body()
    src.failNext(typeof b.n === 'number' && Number.isInteger(b.n) && b.n >= 0 ? b.n : 1)
    return json(200, { ok: true })
  }
  return null
}
