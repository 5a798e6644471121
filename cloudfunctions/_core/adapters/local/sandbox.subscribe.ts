import type { TemplateKey } from '../../../../types/domain'
import { checkSubscribeData } from '../../domain/subscribe'
import type { SendResult, SubscribeData, SubscribeMessage, SubscribeSender } from '../../ports/subscribe.port'
import type { Db } from './sqlite.db'

/** One message as the sandbox received it, and what it answered. */
export interface RecordedSubscribeMessage {
  seq: number
  openid: string
  templateKey: TemplateKey
  templateId: string
  page: string
  data: SubscribeData
  sentAt: string
  /** 'ok', or the errcode WeChat would have answered */
  result: 'ok' | `${number}`
  errmsg: string | null
}

export interface SubscribeSandboxOptions {
  now?: () => Date
}

type Row = {
  seq: number
  openid: string
  template_key: string
  template_id: string
  page: string
  data: string
  sent_at: string
  result: string
  errmsg: string | null
}

const fromRow = (r: Row): RecordedSubscribeMessage => ({
  seq: r.seq,
  openid: r.openid,
  templateKey: r.template_key as TemplateKey,
  templateId: r.template_id,
  page: r.page,
  data: JSON.parse(r.data) as SubscribeData,
  sentAt: r.sent_at,
  result: r.result as RecordedSubscribeMessage['result'],
  errmsg: r.errmsg,
})

/**
 * The local stand-in for subscribeMessage.send. It records every message (accepted or not)
 * in its own table of the database it is given, and checks each payload the way WeChat does:
 * a field that breaks its type's rule answers 47003, an empty template id 40037, an empty
 * openid 40003. It does not count quota: our own QuotaRepo does that before sending, exactly
 * as in WeChat cloud. failNext() lets a test make the next sends fail with a chosen errcode
 * (43101 by default: the person withdrew the subscription in WeChat's settings).
 */
export class SubscribeSandbox implements SubscribeSender {
  private readonly insert
  private readonly selectAll
  private readonly selectByOwner
  private readonly failures: number[] = []

  constructor(
    db: Db,
    private readonly opts: SubscribeSandboxOptions = {},
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS sandbox_subscribe_messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      openid TEXT NOT NULL,
      template_key TEXT NOT NULL,
      template_id TEXT NOT NULL,
      page TEXT NOT NULL,
      data TEXT NOT NULL,
      sent_at TEXT NOT NULL,
      result TEXT NOT NULL,
      errmsg TEXT
    );
    CREATE INDEX IF NOT EXISTS sandbox_subscribe_messages_owner ON sandbox_subscribe_messages (openid, seq)`)
    this.insert = db.prepare<[string, string, string, string, string, string, string, string | null]>(
      `INSERT INTO sandbox_subscribe_messages (openid, template_key, template_id, page, data, sent_at, result, errmsg)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.selectAll = db.prepare<[number], Row>('SELECT * FROM sandbox_subscribe_messages ORDER BY seq DESC LIMIT ?')
    this.selectByOwner = db.prepare<[string, number], Row>('SELECT * FROM sandbox_subscribe_messages WHERE openid = ? ORDER BY seq DESC LIMIT ?')
  }

  async send(msg: SubscribeMessage): Promise<SendResult> {
    const answer = this.judge(msg)
    let data: string
    try {
      data = JSON.stringify(msg.data ?? null)
    } catch {
      data = 'null'
    }
    const sentAt = (this.opts.now?.() ?? new Date()).toISOString()
    this.insert.run(
      String(msg.openid ?? ''),
      String(msg.templateKey ?? ''),
      String(msg.templateId ?? ''),
      String(msg.page ?? ''),
      data,
      sentAt,
      answer.ok ? 'ok' : String(answer.errcode),
      answer.ok ? null : answer.errmsg,
    )
    return answer
  }

  /** Makes the next n sends answer errcode (test hook). */
  failNext(n = 1, errcode = 43101): void {
    for (let i = 0; i < n; i++) this.failures.push(errcode)
  }

  /** Newest first. */
  list(filter: { openid?: string; limit?: number } = {}): RecordedSubscribeMessage[] {
    const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000)
    const rows = filter.openid ? this.selectByOwner.all(filter.openid, limit) : this.selectAll.all(limit)
    return rows.map(fromRow)
  }

  private judge(msg: SubscribeMessage): SendResult {
    if (typeof msg.openid !== 'string' || !msg.openid) return { ok: false, errcode: 40003, errmsg: 'invalid openid' }
    if (typeof msg.templateId !== 'string' || !msg.templateId) return { ok: false, errcode: 40037, errmsg: 'invalid template id' }
    const check = checkSubscribeData(msg.data)
    if (!check.ok) return { ok: false, errcode: 47003, errmsg: `argument invalid! data.${check.key}.value ${check.rule}`.replace('data..value ', 'data ') }
    const forced = this.failures.shift()
    if (forced !== undefined) return { ok: false, errcode: forced, errmsg: forced === 43101 ? 'user refuse to accept the msg' : 'sandbox: forced failure' }
    return { ok: true }
  }
}
