import fs from 'node:fs'
import path from 'node:path'
import { EMAIL_MAX_LENGTH, isEmail, mergeCapProblem } from '../../types/invoice-rules'
import { checkMergeable, parseEmail, type OrderForInvoice } from '../../cloudfunctions/_core/domain/invoice'
import { DomainError } from '../../cloudfunctions/_core/domain/errors'

/** The e-mail and merge-cap rules: one module, imported by the cloud's domain and by the pages. */
describe('invoice rules shared by the cloud and the mini-program', () => {
  it('accepts plain ASCII addresses and refuses what the mail side cannot deliver', () => {
    expect(isEmail(' finance@example.com ')).toBe(true)
    for (const bad of ['finance@', 'finance@example', 'a..b@example.com', '张三@例子.中国', 'a b@example.com', `${'a'.repeat(60)}@${'b'.repeat(190)}.com`]) {
      expect([bad, isEmail(bad)]).toEqual([bad, false])
    }
    expect(EMAIL_MAX_LENGTH).toBe(254)
  })

  it('is the very rule the cloud throws with', () => {
    for (const s of ['finance@example.com', 'finance@', 'x@y.z']) {
      let cloudOk = true
      try {
        parseEmail(s)
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError)
        cloudOk = false
      }
      expect([s, cloudOk]).toEqual([s, isEmail(s)])
    }
  })

  it('says why a merge breaks the caps, in the words of the cloud', () => {
    const caps = { maxOrders: 3, maxTotalFen: 10_000, windowDays: 365 }
    expect(mergeCapProblem(caps, 3, 10_000)).toBeNull()
    expect(mergeCapProblem(caps, 4, 100)).toBe('一张发票最多合并 3 笔充值，请分开开票')
    expect(mergeCapProblem(caps, 2, 10_001)).toBe('一张发票金额最多 ¥100.00，请分开开票')
    const order = (id: string): OrderForInvoice => ({
      id,
      openid: 'u',
      status: 'paid',
      amountFen: 6000,
      paidAt: '2026-11-01T00:00:00.000Z',
      invoiceId: null,
      cardNo: '3104000012345678',
      cardNickname: '',
    })
    expect(() => checkMergeable([order('a'), order('b')], 'u', ['a', 'b'], caps, new Date('2026-11-02T00:00:00Z'))).toThrow(mergeCapProblem(caps, 2, 12_000)!)
  })

  it('has no copy in the mini-program (no hand-written e-mail pattern there)', () => {
    const root = path.join(__dirname, '../../miniprogram/src')
    const files: string[] = []
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else if (/\.tsx?$/.test(e.name)) files.push(p)
      }
    }
    walk(root)
    const copies = files.filter((f) => /\[\^\\s@\]|@\[A-Za-z0-9/.test(fs.readFileSync(f, 'utf8')))
    expect(copies.map((f) => path.relative(root, f))).toEqual([])
  })
})
