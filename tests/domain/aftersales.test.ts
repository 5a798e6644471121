import crypto from 'node:crypto'
import * as application from '../../cloudfunctions/_core/domain/application'
import * as paper from '../../cloudfunctions/_core/domain/paper'
import * as ticket from '../../cloudfunctions/_core/domain/ticket'
import { checkPhotoIds, imageKind, isOwnUploadPath, uploadPath } from '../../cloudfunctions/_core/domain/upload'
import { afterSalesUpdateMessage, checkSubscribeData, SubscribeFieldError } from '../../cloudfunctions/_core/domain/subscribe'
import { noticeMail } from '../../cloudfunctions/_core/app/notify.service'

const code = (fn: () => unknown): string | null => {
  try {
    fn()
    return null
  } catch (e) {
    return (e as { code?: string }).code ?? 'THROWN'
  }
}

describe('application rules', () => {
  it('has one transition table: review, then a decision; the person withdraws only before a decision', () => {
    expect(application.canTransition('submitted', 'in_review')).toBe(true)
    expect(application.canTransition('in_review', 'approved')).toBe(true)
    expect(application.canTransition('approved', 'done')).toBe(true)
    expect(application.canTransition('submitted', 'approved')).toBe(false)
    expect(application.canTransition('approved', 'withdrawn')).toBe(false)
    // only the system, when an approved 换开 ended without change
    expect(application.canTransition('approved', 'rejected')).toBe(true)
    for (const end of ['done', 'rejected', 'withdrawn'] as const) {
      for (const to of ['submitted', 'in_review', 'approved', 'done', 'rejected', 'withdrawn'] as const) expect(application.canTransition(end, to)).toBe(false)
    }
    expect(application.fromStatesOf('withdrawn').sort()).toEqual(['in_review', 'submitted'])
  })

  it('takes a mobile or a landline and masks it', () => {
    expect(application.parseContactPhone('138 1234 5678')).toBe('13812345678')
    expect(application.parseContactPhone('027-85551234')).toBe('027-85551234')
    for (const bad of ['12812345678', '1381234567', '138123456789', 'abc', '', 13812345678])
      expect(code(() => application.parseContactPhone(bad))).toBe('APPLICATION.PHONE_INVALID')
    expect(application.maskPhone('13812345678')).toBe('138****5678')
    expect(application.maskPhone('027-85551234')).toBe('027-****1234')
  })

  const now = new Date('2026-03-01T02:00:00Z') // 10:00 in China
  const limits = { minFen: 1000, maxFen: 50000 }
  const entry = (over: Record<string, unknown> = {}) => ({ cardNo: '3104000012345673', date: '2025-12-01', amountFen: 5000, channel: 'machine', ...over })

  it('checks off-platform top-ups and names the entry at fault', () => {
    expect(application.parseOffPlatform([entry({ cardNo: '3104 0000 1234 5673' })], now, limits)).toEqual([
      { cardNo: '3104000012345673', date: '2025-12-01', amountFen: 5000, channel: 'machine' },
    ])
    expect(application.parseOffPlatform(undefined, now, limits)).toEqual([])
    // today in China is allowed, tomorrow is not; about three years back is the limit
    expect(application.parseOffPlatform([entry({ date: '2026-03-01' })], now, limits)).toHaveLength(1)
    const bad: [unknown, string][] = [
      [[entry({ date: '2026-03-02' })], '不能晚于今天'],
      [[entry({ date: '2022-12-31' })], '近 3 年'],
      [[entry({ date: '2025-02-29' })], 'YYYY-MM-DD'],
      [[entry({ date: '2025/12/01' })], 'YYYY-MM-DD'],
      [[entry({ cardNo: '3104000012345674' })], '校验'],
      [[entry({ amountFen: 999 })], '之间'],
      [[entry({ amountFen: 50001 })], '之间'],
      [[entry({ amountFen: '5000' })], '整数'],
      [[entry({ channel: 'atm' })], '渠道'],
      [[entry(), null], '第 2 笔'],
      ['x', '格式'],
      [Array.from({ length: 11 }, () => entry()), '最多'],
    ]
    for (const [raw, msg] of bad) {
      let err: { code?: string; message?: string } = {}
      try {
        application.parseOffPlatform(raw, now, limits)
      } catch (e) {
        err = e as typeof err
      }
      expect([raw, err.code, err.message?.includes(msg)]).toEqual([raw, 'APPLICATION.INVALID', true])
    }
  })

  it('fits what is asked to the type', () => {
    const off = application.parseOffPlatform([entry()], now, limits)
    expect(code(() => application.checkApplicationShape('supplement', { orderIds: [], offPlatform: [], invoiceId: null }))).toBe('APPLICATION.INVALID')
    expect(code(() => application.checkApplicationShape('supplement', { orderIds: ['a', 'a'], offPlatform: [], invoiceId: null }))).toBe('APPLICATION.INVALID')
    expect(code(() => application.checkApplicationShape('supplement', { orderIds: ['a'], offPlatform: off, invoiceId: null }))).toBeNull()
    expect(code(() => application.checkApplicationShape('correction', { orderIds: [], offPlatform: [], invoiceId: null }))).toBe('APPLICATION.INVALID')
    expect(code(() => application.checkApplicationShape('correction', { orderIds: ['a'], offPlatform: [], invoiceId: 'INV' }))).toBe('APPLICATION.INVALID')
    expect(code(() => application.checkApplicationShape('correction', { orderIds: [], offPlatform: [], invoiceId: 'INV' }))).toBeNull()
  })

  it('notes and reasons: bounded, no control characters', () => {
    expect(application.parseNote('  ')).toBeNull()
    expect(application.parseNote('第一行\r\n第二行')).toBe('第一行\n第二行')
    expect(code(() => application.parseNote('长'.repeat(201)))).toBe('APPLICATION.INVALID')
    expect(code(() => application.parseNote('a\u0007b'))).toBe('APPLICATION.INVALID')
    expect(code(() => application.parseReason('x'))).toBe('STAFF.REASON_REQUIRED')
    expect(application.parseReason(' 凭证不清晰 ')).toBe('凭证不清晰')
  })

  it('derives the same off-platform order id on a retry, within the outTradeNo length', () => {
    const sha = (s: string) => crypto.createHash('sha256').update(s).digest('hex')
    const a = application.offPlatformOrderId('APPXYZ', 0, sha)
    expect(a).toBe(application.offPlatformOrderId('APPXYZ', 0, sha))
    expect(a).not.toBe(application.offPlatformOrderId('APPXYZ', 1, sha))
    expect(a).toMatch(/^OP[0-9A-F]{30}$/)
    expect(application.offPlatformPaidAt('2025-12-01')).toBe('2025-12-01T04:00:00.000Z')
  })

  it('splits orders by the caps deterministically and names the invoices', () => {
    const o = (amountFen: number) => ({ amountFen })
    expect(application.splitByCaps([o(10), o(20), o(30)], { maxOrders: 2, maxTotalFen: 100 }).map((g) => g.length)).toEqual([2, 1])
    expect(application.splitByCaps([o(60), o(50), o(40)], { maxOrders: 10, maxTotalFen: 100 }).map((g) => g.map((x) => x.amountFen))).toEqual([[60], [50, 40]])
    expect(code(() => application.splitByCaps([o(101)], { maxOrders: 10, maxTotalFen: 100 }))).toBe('INVOICE.CAP_EXCEEDED')
    expect(application.applicationInvoiceToken('APP1', 0, 1)).toBe('app-APP1')
    expect(application.applicationInvoiceToken('APP1', 1, 2)).toBe('app-APP1-2')
  })
})

describe('paper rules', () => {
  it('has one transition table; cancel only before printed; terminal states release the slot', () => {
    expect(paper.canTransition('requested', 'cancelled')).toBe(true)
    expect(paper.canTransition('printed', 'cancelled')).toBe(false)
    expect(paper.canTransition('requested', 'mailed')).toBe(false)
    expect(paper.canTransition('mailed', 'returned')).toBe(true)
    expect(['delivered', 'returned', 'cancelled'].every((s) => paper.isTerminal(s as never))).toBe(true)
    expect(['requested', 'printed', 'mailed'].some((s) => paper.isTerminal(s as never))).toBe(false)
  })

  const address = {
    recipient: ' 张三 ',
    phone: '139 1234 5678',
    province: '湖北省',
    city: '武汉市',
    district: '江汉区',
    detail: '建设大道 568 号',
    postalCode: '',
  }
  it('parses an address and masks its phone', () => {
    const a = paper.parsePaperAddress(address)
    expect(a).toEqual({ ...address, recipient: '张三', phone: '13912345678', postalCode: null })
    expect(paper.maskedAddress(a).phone).toBe('139****5678')
    expect(paper.addressForLog(a)).toBe('湖北省武汉市')
    for (const bad of [
      { ...address, detail: '' },
      { ...address, city: 7 },
      { ...address, recipient: 'a\u202eb' },
      { ...address, postalCode: '12' },
      null,
      [],
    ]) {
      expect(code(() => paper.parsePaperAddress(bad))).toBe('PAPER.ADDRESS_INVALID')
    }
  })

  it('checks the tracking number shape', () => {
    expect(paper.parseTracking(' 中国邮政 ', 'ea 123 456 789 cn')).toEqual({ carrier: '中国邮政', trackingNo: 'EA123456789CN' })
    expect(code(() => paper.parseTracking('顺丰', 'SF-123'))).toBe('COMMON.BAD_REQUEST')
    expect(code(() => paper.parseTracking('', 'SF1234567890'))).toBe('COMMON.BAD_REQUEST')
    expect(code(() => paper.parseTracking('顺丰', '1'.repeat(31)))).toBe('COMMON.BAD_REQUEST')
  })
})

describe('ticket rules', () => {
  it('has one transition table: answered by staff, open again by the person, closed for good', () => {
    expect(ticket.canTransition('open', 'answered')).toBe(true)
    expect(ticket.canTransition('answered', 'open')).toBe(true)
    expect(ticket.canTransition('closed', 'open')).toBe(false)
    expect(ticket.fromStatesOf('closed').sort()).toEqual(['answered', 'open'])
  })

  it('checks text, category and rating', () => {
    expect(ticket.parseTicketText(' 没收到发票\r\n请帮忙 ')).toBe('没收到发票\n请帮忙')
    expect(code(() => ticket.parseTicketText(''))).toBe('TICKET.TEXT_INVALID')
    expect(code(() => ticket.parseTicketText('长'.repeat(501)))).toBe('TICKET.TEXT_INVALID')
    expect(ticket.parseTicketText('长'.repeat(500))).toHaveLength(500)
    expect(code(() => ticket.parseTicketText('a\u0000'))).toBe('TICKET.TEXT_INVALID')
    expect(code(() => ticket.parseCategory('refund'))).toBe('COMMON.BAD_REQUEST')
    expect([1, 5].map(ticket.parseRating)).toEqual([1, 5])
    for (const r of [0, 6, 2.5, '5', null]) expect(code(() => ticket.parseRating(r))).toBe('TICKET.RATING_INVALID')
  })
})

describe('uploads', () => {
  const me = 'oAbc123'
  it('keeps a person to their own folder', () => {
    const p = uploadPath(me, 'ticket', 'a1b2c3d4e5f6', 'png')
    expect(p).toBe('users/oAbc123/aftersales/ticket/a1b2c3d4e5f6.png')
    expect(isOwnUploadPath(me, p)).toBe(true)
    expect(isOwnUploadPath('oOther', p)).toBe(false)
    for (const bad of [
      'users/oAbc123/aftersales/ticket/../../x.png',
      'users/oAbc123/aftersales/ticket/a.gif',
      'users/oAbc123/invoices/a.png',
      'users/oAbc123/aftersales/other/a.png',
    ]) {
      expect([bad, isOwnUploadPath(me, bad)]).toEqual([bad, false])
    }
    expect(checkPhotoIds(me, [`cloud://env.bucket/${p}`], 3)).toEqual([`cloud://env.bucket/${p}`])
    expect(code(() => checkPhotoIds(me, [`cloud://env.bucket/${p}`, `cloud://env.bucket/${p}`], 3))).toBe('UPLOAD.INVALID')
    expect(code(() => checkPhotoIds(me, [p], 3))).toBe('UPLOAD.INVALID')
    expect(
      code(() =>
        checkPhotoIds(
          me,
          ['a', 'b', 'c', 'd'].map((x) => `cloud://e.b/users/${me}/aftersales/ticket/${x}.png`),
          3,
        ),
      ),
    ).toBe('UPLOAD.INVALID')
  })

  it('knows a JPEG or a PNG by its first bytes', () => {
    expect(imageKind(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('jpg')
    expect(imageKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png')
    expect(imageKind(Buffer.from('GIF89a'))).toBeNull()
    expect(imageKind(Buffer.from([0xff, 0xd8]))).toBeNull()
  })
})

describe('after-sales notices', () => {
  it('builds a subscribe payload within WeChat limits, and refuses a status that is no phrase', () => {
    const data = afterSalesUpdateMessage({
      kindLabel: '纸质发票邮寄',
      statusLabel: '已寄出',
      at: '2026-03-01T02:00:00Z',
      text: '已寄出，顺丰单号 SF1234567890 请注意查收快递',
    })
    expect(checkSubscribeData(data)).toEqual({ ok: true })
    expect(data.time3.value).toBe('2026-03-01 10:00')
    expect(() => afterSalesUpdateMessage({ kindLabel: '问题反馈', statusLabel: 'answered', at: '2026-03-01T02:00:00Z', text: 'x' })).toThrow(
      SubscribeFieldError,
    )
  })

  it('writes a plain Chinese e-mail with every value escaped', () => {
    const m = noticeMail({ kind: 'ticket', statusLabel: '已回复', text: '<script>alert(1)</script> & 更多' }, '2026-03-01T02:00:00Z')
    expect(m.subject).toBe('【武汉通】您的问题反馈有新进度：已回复')
    expect(m.text).toContain('<script>alert(1)</script> & 更多')
    expect(m.html).not.toContain('<script>')
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; 更多')
  })
})
