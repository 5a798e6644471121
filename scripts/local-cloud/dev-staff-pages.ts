import type { ActionOut, Api, ConfigProblemView, NoticeLevel, NoticePageInput, StaffCase, StaffQueue } from '../../types/api'
import type { AuditRecord, StaffRole } from '../../types/aftersales'
import { esc, layout as pageLayout } from './pages'

/**
 * The local stand-in for the cloud console's function test panel: a staff page that calls the
 * very `staff` handler the way the console does (source 'external', an `operator` in the
 * event). Plain developer-tool look, like the other /dev pages; every value is escaped.
 *
 *   GET  /dev/staff                       pick or type an operator; queue counts and items; grant a role
 *                                         紧急公告: set a notice (setNotice) or end one (endNotice)
 *   GET  /dev/staff/case?kind=&id=        one case (masked; &reason= to unmask, audited) and its actions
 *   GET  /dev/staff/audit                 the audit trail (admin)
 *   POST /dev/api/staff                   { operator, action, ...input } -> the staff handler, as the console
 *   POST /dev/api/staff/grant             { name, role, operator? } -> grant a test user (local_users) a role
 *
 * ?operator= carries the operator between pages (the console has no session either).
 */

export interface DevStaffSources {
  /** calls the staff handler as the console does (source 'external') */
  invoke(event: Record<string, unknown>): Promise<Envelope<unknown>>
  /** the local test users (name -> openid) */
  users(): { name: string; openid: string }[]
}

type Envelope<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } }
type Out<A extends Extract<keyof Api['staff'], string>> = Envelope<ActionOut<'staff', A>>
/** The staff handler answers the envelope of the action it was asked for. */
const as = <A extends Extract<keyof Api['staff'], string>>(e: Envelope<unknown>) => e as Out<A>

export interface DevStaffResponse {
  status: number
  headers: Record<string, string>
  body: string
}

const STAFF_CSS = `pre{white-space:pre-wrap;word-break:break-all;font-size:12px;background:#fafafa;border:1px solid #e4e4e7;padding:8px;margin:0;max-height:480px;overflow:auto}
  form.act{border-top:1px dashed #d4d4d8;padding:8px 0;margin:0}
  form.act input,form.act select,form.act textarea{min-height:36px;font:inherit;font-size:14px;margin:2px 0}
  form.act textarea{width:100%;box-sizing:border-box;min-height:60px}
  form.act button{min-height:36px}
  .counts a{display:inline-block;margin:0 12px 6px 0}
  code{font-size:12px}`

const layout = (title: string, body: string) => pageLayout(title, body, { wide: true, css: STAFF_CSS })

const QUEUE_LABELS: Record<StaffQueue, string> = {
  applications: '补开/换开申请',
  tickets: '问题反馈',
  paper: '纸质发票邮寄',
  invoices: '失败或卡住的发票',
  payments: '支付异常',
  corrections: '换开进行中',
}
const QUEUES = Object.keys(QUEUE_LABELS) as StaffQueue[]
const ROLE_NAMES: Record<StaffRole, string> = { viewer: 'viewer（只读）', agent: 'agent（客服）', admin: 'admin（管理员）' }

/** 2026-11-28 12:30:05 (UTC+8) */
function at(iso: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return iso
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')
}

const q = (params: Record<string, string | undefined>) =>
  '?' +
  Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v!)}`)
    .join('&')

const errorBox = (e: { code: string; message: string }) => `<div class="box err"><code>${esc(e.code)}</code> ${esc(e.message)}</div>`

/**
 * The staff function's configuration problems (queues' `config`), first thing on the page: what
 * WeChat cloud's startup check says of this environment. Keys and reasons, escaped like all else.
 */
function configBox(config: { problems: ConfigProblemView[] } | undefined): string {
  if (!config) return ''
  const problems = config.problems
  if (!problems.length) return `<div class="box" id="config-problems"><p class="ok">配置检查：staff 函数的环境变量没有问题。</p></div>`
  const errors = problems.filter((p) => p.level === 'error').length
  const rows = problems
    .map(
      (p) =>
        `<li class="${p.level === 'error' ? 'err' : 'muted'}" data-level="${p.level === 'error' ? 'error' : 'warning'}">${p.level === 'error' ? '错误' : '警告'} ${
          p.key ? `<code>${esc(p.key)}</code> ` : ''
        }${esc(p.message)}</li>`,
    )
    .join('')
  return `<div class="box" id="config-problems"><p class="${errors ? 'err' : 'muted'}"><b>配置问题</b>：${errors} 个错误，${problems.length - errors} 个警告（staff 函数自己的环境变量，按微信云开发的启动检查；怎么改见 docs/operations.md「配置问题」）</p>
    <ul>${rows}</ul><p class="muted">有错误时，云端的用户函数会拒绝服务（COMMON.MISCONFIGURED），payNotify、reconcile、staff 照常运行；本地云不受影响。</p></div>`
}

/** The operator picker every staff page starts with. */
function operatorForm(operator: string, users: { name: string }[], action: string, hidden: Record<string, string> = {}): string {
  const options = users.map((u) => `<option value="${esc(u.name)}">`).join('')
  const extra = Object.entries(hidden)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('')
  return `<form method="get" action="${esc(action)}" class="box" id="operator-form">
    <label for="op">操作人（operator，1 到 32 个字；控制台调用即为管理员）</label>
    <input id="op" name="operator" list="op-list" maxlength="32" value="${esc(operator)}" placeholder="例如 张三" required>
    <datalist id="op-list">${options}</datalist>${extra}
    <p><button type="submit">以此身份查看</button></p></form>`
}

/**
 * One action form: its fields become the event's input (data-kind list: comma-separated ids;
 * json: parsed; checkbox: boolean; empty fields are left out). Submitted by the page script.
 */
function actionForm(action: string, label: string, fields: string, opts: { token?: boolean; endpoint?: string } = {}): string {
  return `<form class="act" data-action="${esc(action)}"${opts.token ? ' data-token="1"' : ''}${opts.endpoint ? ` data-endpoint="${esc(opts.endpoint)}"` : ''}>
    <b>${esc(label)}</b> <code>${esc(action)}</code><br>${fields}<button type="submit">执行</button></form>`
}

const input = (name: string, placeholder: string, attrs = '') => `<input name="${esc(name)}" placeholder="${esc(placeholder)}" ${attrs}>`
const reasonInput = (placeholder = '原因（必填，记入审计）') => input('reason', placeholder, 'required maxlength="200"')

/** The script shared by the staff pages: posts action forms as JSON and shows the answer. */
const SCRIPT = `<pre id="out" class="muted"></pre>
<script>
  const out = document.getElementById('out');
  const kept = sessionStorage.getItem('staff.out');
  if (kept) { out.textContent = kept; sessionStorage.removeItem('staff.out'); }
  const operator = (document.getElementById('operator-value') || {}).value || '';
  document.querySelectorAll('form[data-action]').forEach((f) => f.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { action: f.dataset.action, operator };
    try {
      for (const el of f.elements) {
        if (!el.name) continue;
        let v = el.value;
        if (el.type === 'checkbox') v = el.checked;
        else if (el.dataset.kind === 'list') { v = v.split(/[\\s,，]+/).filter(Boolean); if (!v.length) continue; }
        else if (el.dataset.kind === 'json') { if (!v.trim()) continue; v = JSON.parse(v); }
        else if (el.dataset.kind === 'role') v = v === '' ? null : v;
        else if (el.dataset.kind === 'cst') { if (v === '') continue; v += v.length === 16 ? ':00+08:00' : '+08:00'; }
        else if (v === '') continue;
        body[el.name] = v;
      }
    } catch (err) { out.textContent = 'JSON 格式不正确：' + err.message; return; }
    if (f.dataset.token) body.clientToken = 'dev' + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    const r = await fetch(f.dataset.endpoint || '/dev/api/staff', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const j = await r.json();
    const text = JSON.stringify(j, null, 2);
    if (j && j.ok === true) { sessionStorage.setItem('staff.out', text); location.reload(); }
    else out.textContent = text;
  }));
</script>`

const opHidden = (operator: string) => `<input type="hidden" id="operator-value" value="${esc(operator)}">`

function nav(operator: string): string {
  return `<p><a href="/dev/staff${q({ operator })}">← 队列</a> · <a href="/dev/staff/audit${q({ operator })}">审计记录</a> · <span class="muted">操作人：${esc(operator)}</span></p>`
}

export function staffHomePage(input: {
  operator: string
  users: { name: string; openid: string }[]
  queue?: StaffQueue
  whoami?: Out<'whoami'>
  queues?: Out<'queues'>
}): string {
  const head = operatorForm(input.operator, input.users, '/dev/staff')
  const intro = `<div class="box"><p>本页代替云开发控制台的「云函数 → staff → 云端测试」：以下所有操作都以 <code>{ "action": ..., "operator": "${esc(input.operator || '张三')}" }</code> 调用 staff 云函数（来源 external，即控制台调用，角色为管理员）。个人信息默认脱敏；填写原因可查看完整信息，并记入审计。</p></div>`
  if (!input.operator) return layout('工作人员台', intro + head + grantBox(input.users))
  const who = input.whoami
  if (who && !who.ok) return layout('工作人员台', intro + head + errorBox(who.error))
  const qs = input.queues
  const config = qs && qs.ok ? configBox(qs.data.config) : ''
  let body = ''
  if (qs && !qs.ok) body = errorBox(qs.error)
  else if (qs && qs.ok) {
    const counts: Record<StaffQueue, number> = qs.data.counts
    const links = QUEUES.map(
      (k) => `<a href="/dev/staff${q({ operator: input.operator, queue: k })}" data-queue="${k}">${esc(QUEUE_LABELS[k])} <b>${counts[k]}</b></a>`,
    ).join('')
    const items = qs.data.items
    const rows = items
      .map(
        (
          i,
        ) => `<tr><td>${esc(QUEUE_LABELS[i.queue])}</td><td><a href="/dev/staff/case${q({ operator: input.operator, kind: i.kind, id: i.id })}">${esc(i.id)}</a></td>
          <td>${esc(i.status)}</td><td>${esc(i.summary)}</td><td><code>${esc(i.openidMasked)}</code></td><td>${esc(at(i.updatedAt))}</td></tr>`,
      )
      .join('')
    body = `<div class="box counts">${links}<a href="/dev/staff${q({ operator: input.operator })}">全部</a></div>
      <div class="box">${items.length ? `<table id="items"><tr><th>队列</th><th>编号</th><th>状态</th><th>摘要（已脱敏）</th><th>用户</th><th>更新（UTC+8）</th></tr>${rows}</table>` : '<p class="muted">队列为空。</p>'}</div>
      <form method="get" action="/dev/staff/case" class="box">${`<input type="hidden" name="operator" value="${esc(input.operator)}">`}
        <p>按编号打开：<select name="kind">${['application', 'ticket', 'paper', 'invoice', 'order', 'correction'].map((k) => `<option>${k}</option>`).join('')}</select>
        <input name="id" placeholder="APP… / TKT… / INV… / 订单号" required> <button type="submit">打开</button></p></form>`
  }
  const role =
    who && who.ok
      ? `<p class="muted">当前身份：${esc(who.data.operator)} · ${esc(who.data.role)} · ${esc(who.data.via)} · <a href="/dev/staff/audit${q({ operator: input.operator })}">审计记录</a></p>`
      : ''
  return layout(
    '工作人员台',
    config + intro + head + role + body + (who && who.ok ? noticeBox() : '') + grantBox(input.users) + opHidden(input.operator) + SCRIPT,
  )
}

const NOTICE_LEVEL_LABELS: Record<NoticeLevel, string> = { info: 'info（提示）', warning: 'warning（警告）', critical: 'critical（严重）' }
const NOTICE_PAGE_LABELS: Record<NoticePageInput, string> = { all: '首页和发票页', home: '首页', invoice: '发票页' }
const options = (labels: Record<string, string>, selected: string) =>
  Object.entries(labels)
    .map(([v, l]) => `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(l)}</option>`)
    .join('')

/**
 * 紧急公告: set a banner (staff.setNotice) on the home and invoice pages until a time given in
 * Asia/Shanghai (datetime-local, sent as +08:00), and end one (staff.endNotice). Both audited.
 */
function noticeBox(): string {
  return `<div class="box" id="notices"><p><b>紧急公告</b> <span class="muted">显示在小程序首页和发票页的横幅（事故处理见 docs/operations.md）；设置和结束都记入审计。</span></p>${actionForm(
    'setNotice',
    '发布公告',
    `<select name="level">${options(NOTICE_LEVEL_LABELS, 'warning')}</select>
    <textarea name="text" required minlength="2" maxlength="120" placeholder="公告内容（2 到 120 字纯文本），例如 开票服务繁忙，发票可能延迟送达"></textarea>
    <label>显示到（北京时间） <input type="datetime-local" name="until" data-kind="cst" required></label>
    <select name="pages">${options(NOTICE_PAGE_LABELS, 'all')}</select> ${reasonInput()}`,
  )}${actionForm('endNotice', '结束公告', `${input('noticeId', '公告编号 NTC…', 'required maxlength="64"')} ${reasonInput()}`)}</div>`
}

function grantBox(users: { name: string; openid: string }[]): string {
  const options = users.map((u) => `<option value="${esc(u.name)}">${esc(u.name)}（${esc(u.openid)}）</option>`).join('')
  const roles = (Object.keys(ROLE_NAMES) as StaffRole[]).map((r) => `<option value="${r}">${esc(ROLE_NAMES[r])}</option>`).join('')
  return `<div class="box"><p>给测试用户授予工作人员角色（小程序里的工作人员入口凭 openid 识别）</p>${
    users.length
      ? actionForm(
          'grant',
          '授予 / 撤销角色',
          `<select name="name">${options}</select> <select name="role" data-kind="role">${roles}<option value="">撤销角色</option></select> `,
          { endpoint: '/dev/api/staff/grant' },
        )
      : '<p class="muted">还没有测试用户：先在 <a href="/dev/login">模拟登录</a> 新建一个。</p>'
  }</div>`
}

function caseActions(c: StaffCase, operator: string): string {
  const s = c.subject as { status?: string; invoiceId?: string } | null
  switch (c.kind) {
    case 'application':
      return [
        actionForm('startReview', '开始审核', `<input type="hidden" name="applicationId" value="${esc(c.id)}">`),
        actionForm(
          'approve',
          '审核通过（关联订单，或登记其他渠道充值）',
          `<input type="hidden" name="applicationId" value="${esc(c.id)}">
          ${input('orderIds', '关联的订单号，逗号分隔（留空：按申请）', 'data-kind="list"')}
          <textarea name="offPlatform" data-kind="json" placeholder='其他渠道充值（JSON，留空：按申请），例如 [{"cardNo":"3104000012345673","date":"2026-01-02","amountFen":5000,"channel":"machine"}]'></textarea>
          ${input('reason', '备注（可选，记入审计）', 'maxlength="200"')}`,
        ),
        actionForm('reject', '驳回', `<input type="hidden" name="applicationId" value="${esc(c.id)}">${reasonInput('驳回原因（必填，用户可见）')}`),
      ].join('')
    case 'ticket':
      return [
        actionForm(
          'reply',
          '回复',
          `<input type="hidden" name="ticketId" value="${esc(c.id)}"><textarea name="text" required maxlength="500" placeholder="回复内容（用户可见）"></textarea>`,
        ),
        actionForm('closeTicket', '关闭反馈', `<input type="hidden" name="ticketId" value="${esc(c.id)}">${reasonInput('关闭原因（必填，用户可见）')}`),
      ].join('')
    case 'paper':
      return [
        actionForm('paperPrinted', '已打印', `<input type="hidden" name="paperId" value="${esc(c.id)}">`),
        actionForm(
          'paperMailed',
          '已寄出',
          `<input type="hidden" name="paperId" value="${esc(c.id)}">${input('carrier', '快递公司，如 顺丰速运', 'required')} ${input('trackingNo', '运单号', 'required')}`,
        ),
        actionForm('paperDelivered', '已签收', `<input type="hidden" name="paperId" value="${esc(c.id)}">`),
        actionForm('paperReturned', '被退回', `<input type="hidden" name="paperId" value="${esc(c.id)}">${reasonInput('退回原因（必填）')}`),
      ].join('')
    case 'invoice':
      return [
        actionForm('retryInvoice', '重试开具（失败的发票）', `<input type="hidden" name="invoiceId" value="${esc(c.id)}">${reasonInput()}`),
        actionForm(
          'resendInvoice',
          '补发邮件',
          `<input type="hidden" name="invoiceId" value="${esc(c.id)}">${input('email', '另一个邮箱（可选）')} ${reasonInput()}`,
        ),
        actionForm(
          'correct',
          '代为换开（红冲 + 重开，不受自助次数限制）',
          `<input type="hidden" name="invoiceId" value="${esc(c.id)}">${input('titleId', '该用户的抬头编号 titleId（或填下面的完整抬头）')}
          <textarea name="title" data-kind="json" placeholder='完整抬头（JSON），例如 {"kind":"enterprise","name":"武汉某某科技有限公司","taxId":"91420100MA4K0000X1"}'></textarea>
          <label><input type="checkbox" name="buyerBooked"> 购买方已入账（需购买方确认）</label> ${reasonInput()}`,
          { token: true },
        ),
      ].join('')
    case 'correction':
      return s?.invoiceId ? `<p><a href="/dev/staff/case${q({ operator, kind: 'invoice', id: s.invoiceId })}" data-rel="invoice">原发票</a></p>` : ''
    case 'order':
      return ''
  }
}

export function staffCasePage(input: {
  operator: string
  users: { name: string; openid: string }[]
  kind: string
  id: string
  reason: string
  result: Out<'case'>
}): string {
  const head = nav(input.operator)
  if (!input.result.ok) return layout('案件', head + errorBox(input.result.error) + opHidden(input.operator))
  const c = input.result.data.case
  const p = c.person
  const orders = p.orders
    .map(
      (o) =>
        `<tr><td><a href="/dev/staff/case${q({ operator: input.operator, kind: 'order', id: o.id })}">${esc(o.id)}</a></td><td>${esc(o.cardNo)}</td><td>¥${(o.amountFen / 100).toFixed(2)}</td><td>${esc(o.status)}</td><td>${esc(o.invoiceId ?? '—')}</td><td>${esc(at(o.createdAt))}</td></tr>`,
    )
    .join('')
  const invoices = p.invoices
    .map(
      (
        i,
      ) => `<tr><td><a href="/dev/staff/case${q({ operator: input.operator, kind: 'invoice', id: i.id })}">${esc(i.id)}</a></td><td>${esc(i.invoiceNo ?? '—')}</td><td>${esc(i.color ?? 'blue')}</td>
        <td>${esc(i.status)}</td><td>¥${(i.amountFen / 100).toFixed(2)}</td><td>${esc(i.title.name)}</td><td>${esc(JSON.stringify(i.chain ?? null))}</td></tr>`,
    )
    .join('')
  const unmask = c.unmasked
    ? `<p class="ok">已显示完整信息（原因：${esc(input.reason)}，已记入审计）。 <a href="/dev/staff/case${q({ operator: input.operator, kind: c.kind, id: c.id })}">恢复脱敏</a></p>`
    : `<form method="get" action="/dev/staff/case"><input type="hidden" name="operator" value="${esc(input.operator)}"><input type="hidden" name="kind" value="${esc(c.kind)}"><input type="hidden" name="id" value="${esc(c.id)}">
        <p class="muted">个人信息已脱敏。查看完整信息（客服及以上，记入审计）：</p>${input_('reason', '原因，例如 用户来电核对地址')} <button type="submit">查看完整信息</button></form>`
  return layout(
    `案件 ${c.kind} ${c.id}`,
    `${head}<div class="box"><p><b>${esc(c.kind)}</b> <code>${esc(c.id)}</code> · 用户 <code>${esc(p.openid)}</code> · 邮箱 ${esc(p.email ?? '—')}</p>${unmask}</div>
    <div class="box"><p>详情</p><pre id="subject">${esc(JSON.stringify(c.subject, null, 2))}</pre></div>
    <div class="box" id="actions"><p>操作</p>${caseActions(c, input.operator) || '<p class="muted">此类案件只可查看。</p>'}</div>
    <div class="box"><p>该用户最近的充值</p>${orders ? `<table><tr><th>订单</th><th>卡号</th><th>金额</th><th>状态</th><th>发票</th><th>时间</th></tr>${orders}</table>` : '<p class="muted">无</p>'}</div>
    <div class="box"><p>该用户最近的发票（含换开链）</p>${invoices ? `<table><tr><th>发票</th><th>号码</th><th>颜色</th><th>状态</th><th>金额</th><th>抬头</th><th>链</th></tr>${invoices}</table>` : '<p class="muted">无</p>'}</div>
    ${opHidden(input.operator)}${SCRIPT}`,
  )
}

const input_ = (name: string, placeholder: string) =>
  `<input name="${esc(name)}" placeholder="${esc(placeholder)}" required minlength="2" maxlength="200" style="width:auto;min-width:280px">`

export function staffAuditPage(input: { operator: string; target: string; cursor: string; result: Out<'audit'> }): string {
  const head = nav(input.operator)
  if (!input.result.ok) return layout('审计记录', head + errorBox(input.result.error))
  const items: AuditRecord[] = input.result.data.items
  const next = input.result.data.nextCursor
  const rows = items
    .map(
      (
        r,
      ) => `<tr><td><code>${esc(r.id)}</code></td><td>${esc(at(r.at))}</td><td>${esc(r.operator)}</td><td>${esc(r.role)}</td><td><code>${esc(r.via)}</code></td>
        <td>${esc(r.action)}</td><td><a href="/dev/staff/audit${q({ operator: input.operator, target: r.target })}">${esc(r.target)}</a></td><td>${esc(r.reason ?? '')}</td>
        <td><code>${esc(r.beforeDigest ?? '—')}</code><br><code>${esc(r.afterDigest ?? '—')}</code></td></tr>`,
    )
    .join('')
  return layout(
    '审计记录',
    `${head}<form method="get" action="/dev/staff/audit" class="box"><input type="hidden" name="operator" value="${esc(input.operator)}">
      <input name="target" value="${esc(input.target)}" placeholder="按对象筛选，例如 application:APP…"></form>
    <div class="box">${items.length ? `<table id="audit"><tr><th>编号</th><th>时间（UTC+8）</th><th>操作人</th><th>角色</th><th>来源</th><th>操作</th><th>对象</th><th>原因</th><th>前 / 后摘要</th></tr>${rows}</table>` : '<p class="muted">没有记录。</p>'}
    ${next ? `<p><a href="/dev/staff/audit${q({ operator: input.operator, target: input.target, cursor: next })}">下一页</a></p>` : ''}</div>`,
  )
}

// ---------------------------------------------------------------------------------------

const html = (status: number, body: string): DevStaffResponse => ({
  status,
  headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  body,
})
const json = (status: number, body: unknown): DevStaffResponse => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  body: JSON.stringify(body),
})

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/**
 * The staff page routes. Returns null for any other path, so the server can try it before its
 * own: `const r = await devStaffRoute(src, method, url, () => readBody(req)); if (r) ...`.
 */
export async function devStaffRoute(src: DevStaffSources, method: string, url: URL, readBody: () => Promise<unknown>): Promise<DevStaffResponse | null> {
  const p = url.pathname
  const operator = (url.searchParams.get('operator') ?? '').trim()

  if (method === 'GET' && (p === '/dev/staff' || p === '/dev/staff/')) {
    const queueParam = url.searchParams.get('queue') ?? ''
    const queue = (QUEUES as string[]).includes(queueParam) ? (queueParam as StaffQueue) : undefined
    if (!operator) return html(200, staffHomePage({ operator, users: src.users() }))
    const whoami = as<'whoami'>(await src.invoke({ action: 'whoami', operator }))
    const queues = whoami.ok ? as<'queues'>(await src.invoke({ action: 'queues', operator, queue, limit: 50 })) : undefined
    return html(200, staffHomePage({ operator, users: src.users(), queue, whoami, queues }))
  }
  if (method === 'GET' && p === '/dev/staff/case') {
    const kind = url.searchParams.get('kind') ?? ''
    const id = url.searchParams.get('id') ?? ''
    const reason = (url.searchParams.get('reason') ?? '').trim()
    const result = as<'case'>(await src.invoke({ action: 'case', operator, kind, id, ...(reason ? { reason } : {}) }))
    return html(result.ok ? 200 : 400, staffCasePage({ operator, users: src.users(), kind, id, reason, result }))
  }
  if (method === 'GET' && p === '/dev/staff/audit') {
    const target = (url.searchParams.get('target') ?? '').trim()
    const cursor = url.searchParams.get('cursor') ?? ''
    const result = as<'audit'>(await src.invoke({ action: 'audit', operator, limit: 50, ...(target ? { target } : {}), ...(cursor ? { cursor } : {}) }))
    return html(result.ok ? 200 : 400, staffAuditPage({ operator, target, cursor, result }))
  }
  if (method === 'POST' && p === '/dev/api/staff') {
    const body = await readBody()
    if (!isObject(body)) return json(400, { ok: false, error: { code: 'COMMON.BAD_REQUEST', message: '请求应为 JSON 对象' } })
    return json(200, await src.invoke(body))
  }
  if (method === 'POST' && p === '/dev/api/staff/grant') {
    const body = await readBody()
    if (!isObject(body)) return json(400, { ok: false, error: { code: 'COMMON.BAD_REQUEST', message: '请求应为 JSON 对象' } })
    const user = src.users().find((u) => u.name === body.name)
    if (!user) return json(404, { ok: false, error: { code: 'COMMON.BAD_REQUEST', message: '找不到该测试用户，请先用该名字登录一次' } })
    const result = await src.invoke({
      action: 'grant',
      operator: typeof body.operator === 'string' && body.operator.trim() ? body.operator : '本地开发者',
      openid: user.openid,
      name: user.name,
      role: body.role ?? null,
      reason: typeof body.reason === 'string' && body.reason.trim() ? body.reason : '本地测试授权',
    })
    return json(result.ok ? 200 : 400, result)
  }
  return null
}
