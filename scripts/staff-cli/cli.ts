import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { StaffAuditVerify } from '../../types/api'
import { cloudCredentials, cloudInvoker, DEFAULT_LOCAL_URL, type Envelope, httpInvoker, nodeSdkApp, type StaffInvoker } from './invoker'
import type { ProcessIo } from '../cli-entry'

/**
 * npm run staff -- <command> [args] [--operator NAME] [--json] [--cloud]
 *
 * Every command is one call of the `staff` function (see invoker.ts), so the operator is named,
 * the role is checked and changes are audited exactly as in the console. Exit code 0 on success,
 * 1 on an error envelope (code and message printed) or a usage error.
 */

export const USAGE = `用法：npm run staff -- <命令> [参数] [--operator 姓名] [--json] [--cloud]

  whoami                                   我是谁（操作人、角色）
  queues [队列]                            待办队列（applications/tickets/paper/invoices/payments/corrections）
  find <order|invoice|card> <值>           按订单号、发票 ID 或发票号码、卡号找案件
  show <kind> <id> [--reason 原因]         查看案件（默认脱敏；填写原因查看完整信息并记入审计）
  retry <发票ID> --reason 原因             重试开具
  resend <发票ID> [--email 邮箱] --reason 原因   补发邮件
  notice set --level info|warning|critical --text 内容 --until 时间 [--from 时间] [--pages home,invoice|all] --reason 原因
  notice end <公告ID> --reason 原因
  notice list                              生效中的公告
  health                                   队列深度、最久未开具的发票、邮件积压、批量开票与导出任务
  audit [--target kind:id]                 审计记录（管理员）
  backup                                   备份（本地云；加 --cloud 备份云开发环境）
  backup:verify [快照目录]                 恢复到临时目录并核对（默认最新快照；加 --cloud 核对云开发快照）
  audit:verify                             逐条核对审计链（管理员）

操作人：--operator 或环境变量 STAFF_OPERATOR（必填）。
本地云：LOCAL_CLOUD_URL（默认 ${DEFAULT_LOCAL_URL}）。
云开发环境（--cloud）：CLOUD_ENV_ID、TENCENTCLOUD_SECRETID、TENCENTCLOUD_SECRETKEY（可选 TENCENTCLOUD_SESSIONTOKEN）。`

export interface CliIo extends ProcessIo {
  /** the door to the staff function; by default from --cloud / LOCAL_CLOUD_URL */
  invoker?: StaffInvoker
  /** runs an npm script (backup, backup:verify); answers its exit code */
  runScript?: (script: string, args: string[]) => number | Promise<number>
}

class UsageError extends Error {}

const root = path.resolve(__dirname, '../..')

/**
 * runs `npm run <script> -- args` with the CLI's environment; its output goes to the CLI's out /
 * err. Asynchronous on purpose: a backup takes seconds, and blocking the event loop that long
 * would stall anything else the process serves (tests run a local cloud in the same process).
 */
function defaultRunScript(script: string, args: string[], io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
      cwd: root,
      env: { ...process.env, ...io.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', (e) => {
      io.err(e.message)
      resolve(1)
    })
    child.on('close', (code) => {
      const o = Buffer.concat(out).toString('utf8').trimEnd()
      const e = Buffer.concat(err).toString('utf8').trimEnd()
      if (o) io.out(o)
      if (e) io.err(e)
      resolve(code ?? 1)
    })
  })
}

/** the newest wt-backup-* snapshot in `dir` (their names sort by time) */
function latestSnapshot(dir: string): string {
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith('wt-backup-') && fs.statSync(path.join(dir, n)).isDirectory()) : []
  if (!names.length) throw new UsageError(`${dir} 里没有快照；先运行 npm run staff -- backup，或写明快照目录`)
  return path.join(dir, names.sort().at(-1)!)
}

const FIND_KINDS = ['order', 'invoice', 'card'] as const
const CASE_KINDS = ['application', 'ticket', 'paper', 'invoice', 'order', 'correction']

export async function runStaffCli(argv: string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        operator: { type: 'string' },
        json: { type: 'boolean' },
        cloud: { type: 'boolean' },
        reason: { type: 'string' },
        email: { type: 'string' },
        level: { type: 'string' },
        text: { type: 'string' },
        from: { type: 'string' },
        until: { type: 'string' },
        pages: { type: 'string' },
        target: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e))
    io.err(USAGE)
    return 1
  }
  const { values: o, positionals } = parsed
  const [command, ...args] = positionals
  if (!command || o.help) {
    ;(o.help ? io.out : io.err)(USAGE)
    return o.help ? 0 : 1
  }

  try {
    if (command === 'backup' || command === 'backup:verify') {
      const run = io.runScript ?? ((script: string, a: string[]) => defaultRunScript(script, a, io))
      // where the daily backup keeps its snapshots (LOCAL_BACKUP_DIR), so verify finds either
      const backups = path.resolve(root, io.env.LOCAL_BACKUP_DIR?.trim() || '.backups')
      if (o.cloud) {
        // the environment's collections and files through node-sdk (scripts/backup/cloud-snapshot.ts)
        if (command === 'backup') return (await run('backup', ['--cloud', '--out', backups])) === 0 ? 0 : 1
        return (await run('backup:verify', ['--cloud', '--out', backups, ...args.slice(0, 1)])) === 0 ? 0 : 1
      }
      if (command === 'backup') return (await run('backup', ['--out', backups])) === 0 ? 0 : 1
      const snapshot = args[0] ?? latestSnapshot(backups)
      io.out(`校验快照：${snapshot}`)
      return (await run('backup:verify', [snapshot])) === 0 ? 0 : 1
    }

    const event = buildEvent(command, args, o)
    const operator = (o.operator ?? io.env.STAFF_OPERATOR ?? '').trim()
    if (!operator) throw new UsageError('请用 --operator 或环境变量 STAFF_OPERATOR 写明操作人（会记入审计）')
    const invoker =
      io.invoker ?? (o.cloud ? cloudInvoker(nodeSdkApp(cloudCredentials(io.env))) : httpInvoker(io.env.LOCAL_CLOUD_URL?.trim() || DEFAULT_LOCAL_URL))
    const r = await invoker({ ...event, operator })
    if (o.json) io.out(JSON.stringify(r, null, 2))
    if (!r.ok) {
      io.err(`错误 ${r.error.code}：${r.error.message}`)
      return 1
    }
    if (!o.json) io.out(render(command, args, r))
    // a broken audit chain is a failed check, though the call itself succeeded
    if (command === 'audit:verify' && !(r.data as StaffAuditVerify).ok) return 1
    return 0
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e))
    if (e instanceof UsageError) io.err('（npm run staff -- --help 查看用法）')
    return 1
  }
}

type Opts = Record<string, string | boolean | undefined>

const need = (v: string | undefined, what: string): string => {
  if (!v || !v.trim()) throw new UsageError(`缺少${what}`)
  return v
}

function buildEvent(command: string, args: string[], o: Opts): Record<string, unknown> {
  const str = (k: string) => {
    const v = o[k]
    return typeof v === 'string' ? v : undefined
  }
  const limit = str('limit') !== undefined ? Number(str('limit')) : undefined
  switch (command) {
    case 'whoami':
      return { action: 'whoami' }
    case 'queues':
      return { action: 'queues', ...(args[0] ? { queue: args[0] } : {}), ...(limit !== undefined ? { limit } : {}) }
    case 'find': {
      const by = need(args[0], '查找方式（order / invoice / card）')
      if (!(FIND_KINDS as readonly string[]).includes(by)) throw new UsageError('查找方式应为 order / invoice / card')
      return { action: 'find', by, value: need(args[1], '要查找的值') }
    }
    case 'show': {
      const kind = need(args[0], `案件类型（${CASE_KINDS.join(' / ')}）`)
      return { action: 'case', kind, id: need(args[1], '案件 ID'), ...(str('reason') ? { reason: str('reason') } : {}) }
    }
    case 'retry':
      return { action: 'retryInvoice', invoiceId: need(args[0], '发票 ID'), reason: need(str('reason'), '原因 --reason') }
    case 'resend':
      return {
        action: 'resendInvoice',
        invoiceId: need(args[0], '发票 ID'),
        reason: need(str('reason'), '原因 --reason'),
        ...(str('email') ? { email: str('email') } : {}),
      }
    case 'notice': {
      const sub = args[0]
      if (sub === 'list') return { action: 'listNotices' }
      if (sub === 'end') return { action: 'endNotice', noticeId: need(args[1], '公告 ID'), reason: need(str('reason'), '原因 --reason') }
      if (sub === 'set') {
        const pages = (str('pages') ?? 'all').split(',').map((s) => s.trim())
        return {
          action: 'setNotice',
          level: str('level') ?? 'warning',
          text: need(str('text'), '公告内容 --text'),
          until: need(str('until'), '结束时间 --until'),
          ...(str('from') ? { from: str('from') } : {}),
          pages: pages.length === 1 ? pages[0] : pages,
          reason: need(str('reason'), '原因 --reason'),
        }
      }
      throw new UsageError('notice 的子命令应为 set / end / list')
    }
    case 'health':
      return { action: 'health' }
    case 'audit':
      return { action: 'audit', ...(str('target') ? { target: str('target') } : {}), ...(limit !== undefined ? { limit } : {}) }
    case 'audit:verify':
      return { action: 'auditVerify' }
    default:
      throw new UsageError(`未知命令：${command}`)
  }
}

// ---------------------------------------------------------------------------------------
// Human-readable output

/** Plain data as indented `key: value` lines; arrays as `- ` items. */
export function toText(v: unknown, indent = ''): string {
  if (v === null || v === undefined) return `${indent}-`
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${indent}${v}`
  if (typeof v !== 'object') return `${indent}?`
  const lines: string[] = []
  if (Array.isArray(v)) {
    if (v.length === 0) return `${indent}（无）`
    for (const x of v) {
      if (x && typeof x === 'object') lines.push(`${indent}-`, toText(x, indent + '  '))
      else lines.push(`${indent}- ${toText(x)}`)
    }
    return lines.join('\n')
  }
  for (const [k, x] of Object.entries(v)) {
    if (x && typeof x === 'object' && !(Array.isArray(x) && x.length === 0)) lines.push(`${indent}${k}:`, toText(x, indent + '  '))
    else lines.push(`${indent}${k}: ${Array.isArray(x) ? '（无）' : toText(x)}`)
  }
  return lines.join('\n')
}

function render(command: string, args: string[], r: Envelope & { ok: true }): string {
  const d = r.data as Record<string, unknown>
  if (command === 'queues' && d && typeof d === 'object') {
    const counts = d.counts as Record<string, number>
    const items = (d.items as { queue: string; kind: string; id: string; status: string; summary: string }[]) ?? []
    return [
      Object.entries(counts)
        .map(([q, n]) => `${q} ${n}`)
        .join(' · '),
      ...items.map((i) => `[${i.queue}] ${i.kind} ${i.id} ${i.status} ${i.summary}`),
    ].join('\n')
  }
  if (command === 'notice' && args[0] === 'list') {
    const notices = (d.notices as { id: string; level: string; pages: string[]; from: string; until: string; text: string }[]) ?? []
    if (!notices.length) return '当前没有生效中的公告'
    return notices.map((n) => `${n.id} [${n.level}] ${n.pages.join(',')} ${n.from} → ${n.until}\n  ${n.text}`).join('\n')
  }
  if (command === 'audit:verify') return renderAuditVerify(d as unknown as StaffAuditVerify)
  return toText(d)
}

function renderAuditVerify(v: StaffAuditVerify): string {
  const lines = [`审计记录：${v.checked} 条${v.head ? `，最新 ${v.head.id}（seq ${v.head.seq}）${v.head.hash}` : ''}`]
  for (const p of v.problems) lines.push(`断裂 seq ${p.seq}（${p.id}）：${p.kind}：${p.detail}`)
  if (v.problemCount > v.problems.length) lines.push(`……共 ${v.problemCount} 处问题`)
  lines.push(v.ok ? 'OK：每条记录与其哈希相符，并指向前一条' : `FAILED：第一处断裂在 seq ${v.firstBadSeq}`)
  return lines.join('\n')
}
