import type { StaffMember, StaffRole } from '../../types/aftersales'
import {
  auditId,
  canonicalJson,
  canUnmask,
  consoleActor,
  maskAddress,
  maskBankAccount,
  maskCard,
  maskEmail,
  maskForStaff,
  maskFreeText,
  maskName,
  maskOpenid,
  maskPhone,
  MIN_ROLE,
  miniprogramActor,
  parseOperator,
  parseReason,
  requireRole,
  roleAllows,
  STAFF_ACTIONS,
  staffChannel,
  type StaffAction,
} from '../../cloudfunctions/_core/domain/staff'

const OPENID = 'oStaff00000000000000000000001'
const member = (role: StaffRole): StaffMember => ({ openid: OPENID, name: '李客服', role, grantedBy: '张三', grantedAt: '2026-03-01T00:00:00.000Z' })

describe('who may call the staff function', () => {
  it('lets a call from outside WeChat in through the console door, without an openid', () => {
    expect(staffChannel('external', null)).toBe('console')
  })
  it('refuses an external call that carries an openid (WeChat never sends that)', () => {
    expect(() => staffChannel('external', OPENID)).toThrow(expect.objectContaining({ code: 'COMMON.FORBIDDEN' }))
  })
  it('sends mini-program calls through the role check, and anonymous ones back to sign in', () => {
    expect(staffChannel('wx_client', OPENID)).toBe('miniprogram')
    expect(staffChannel('wx_devtools', OPENID)).toBe('miniprogram')
    expect(() => staffChannel('wx_client', null)).toThrow(expect.objectContaining({ code: 'COMMON.UNAUTHENTICATED' }))
  })
  it.each(['wx_trigger', 'wx_paycallback', 'wx_http', 'scf'])('refuses %s', (source) => {
    expect(() => staffChannel(source, null)).toThrow(expect.objectContaining({ code: 'COMMON.FORBIDDEN' }))
  })
  it('makes a console caller an admin named by the operator', () => {
    expect(consoleActor('  张三 ')).toEqual({ name: '张三', role: 'admin', via: 'console', viaId: 'console' })
  })
  it.each([undefined, null, '', '   ', 42, 'a'.repeat(33), '张\u0000三', '张\n三'])('requires a proper operator name, not %p', (op) => {
    expect(() => parseOperator(op)).toThrow(expect.objectContaining({ code: 'STAFF.OPERATOR_REQUIRED' }))
  })
  it('accepts an operator of exactly 32 characters, counted as characters not bytes', () => {
    expect(parseOperator('客'.repeat(32))).toBe('客'.repeat(32))
  })
  it('knows a mini-program staff member by the staff record, and no one else', () => {
    expect(miniprogramActor(OPENID, member('agent'))).toEqual({ name: '李客服', role: 'agent', via: 'miniprogram', viaId: OPENID })
    expect(() => miniprogramActor(OPENID, null)).toThrow(expect.objectContaining({ code: 'COMMON.FORBIDDEN' }))
    expect(() => miniprogramActor('oSomeoneElse000000000000000', member('admin'))).toThrow(expect.objectContaining({ code: 'COMMON.FORBIDDEN' }))
    expect(() => miniprogramActor(OPENID, { ...member('agent'), role: 'root' as StaffRole })).toThrow(expect.objectContaining({ code: 'COMMON.FORBIDDEN' }))
  })
})

describe('roles x actions', () => {
  const reads: StaffAction[] = ['whoami', 'queues', 'case', 'listNotices', 'find', 'health']
  const adminOnly: StaffAction[] = ['grant', 'audit', 'auditVerify']
  const agentActions = STAFF_ACTIONS.filter((a) => !reads.includes(a) && !adminOnly.includes(a))

  it('covers every action of the contract', () => {
    expect(STAFF_ACTIONS.sort()).toEqual(
      [
        'whoami',
        'queues',
        'case',
        'startReview',
        'approve',
        'reject',
        'correct',
        'reply',
        'closeTicket',
        'paperPrinted',
        'paperMailed',
        'paperDelivered',
        'paperReturned',
        'retryInvoice',
        'resendInvoice',
        'setNotice',
        'endNotice',
        'listNotices',
        'find',
        'health',
        'grant',
        'audit',
        'auditVerify',
      ].sort(),
    )
  })
  it.each(reads)('viewer, agent and admin may %s', (a) => {
    for (const r of ['viewer', 'agent', 'admin'] as const) expect(roleAllows(r, a)).toBe(true)
  })
  it.each(agentActions)('%s needs an agent', (a) => {
    expect(MIN_ROLE[a]).toBe('agent')
    expect(roleAllows('viewer', a)).toBe(false)
    expect(roleAllows('agent', a)).toBe(true)
    expect(roleAllows('admin', a)).toBe(true)
    expect(() => requireRole(miniprogramActor(OPENID, member('viewer')), a)).toThrow(expect.objectContaining({ code: 'STAFF.ROLE_INSUFFICIENT' }))
  })
  it.each(adminOnly)('%s is for admins only', (a) => {
    expect(roleAllows('viewer', a)).toBe(false)
    expect(roleAllows('agent', a)).toBe(false)
    expect(roleAllows('admin', a)).toBe(true)
    expect(() => requireRole(consoleActor('张三'), a)).not.toThrow()
  })
  it('lets agents and admins unmask, never viewers', () => {
    expect([canUnmask('viewer'), canUnmask('agent'), canUnmask('admin')]).toEqual([false, true, true])
  })
})

describe('reasons for the audit trail', () => {
  it('trims and keeps a proper reason', () => {
    expect(parseReason('  用户来电要求  ', true)).toBe('用户来电要求')
  })
  it('is null when optional and absent', () => {
    expect(parseReason(undefined, false)).toBeNull()
    expect(parseReason('  ', false)).toBeNull()
  })
  it.each([undefined, '', ' ', '好', 'x'.repeat(201), 'a\u0007b', 7])('refuses %p where a reason is required', (r) => {
    expect(() => parseReason(r, true)).toThrow(expect.objectContaining({ code: 'STAFF.REASON_REQUIRED' }))
  })
  it('refuses a too-short reason even where it is optional', () => {
    expect(() => parseReason('好', false)).toThrow(expect.objectContaining({ code: 'STAFF.REASON_REQUIRED' }))
  })
})

describe('masking for staff views', () => {
  it('masks names partially', () => {
    expect(maskName('张三')).toBe('张*')
    expect(maskName('欧阳小明')).toBe('欧**明')
    expect(maskName('王五六')).toBe('王*六')
    expect(maskName('武汉某某科技有限公司')).toBe('武汉******公司')
    expect(maskName('王')).toBe('*')
  })
  it('masks phones, e-mails, tax IDs in lists, card and bank numbers, addresses, openids', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('027-87654321')).toBe('027****4321')
    expect(maskEmail('alice@example.com')).toBe('a***@example.com')
    expect(maskCard('3104000012345673')).toBe('3104 **** **** 5673')
    expect(maskBankAccount('6222 0202 0000 1234')).toBe('**** 1234')
    expect(maskAddress('湖北省武汉市江汉区新华路 100 号')).toBe('湖北省武汉市***')
    expect(maskOpenid('oAbcdefghijklmnopqrstuvwxyz1')).toBe('oAbc****xyz1')
  })
  it('masks personal data a person typed into free text', () => {
    expect(maskFreeText('请打 13812345678 或发 bob@qq.com，卡号 3104 0000 1234 5673，税号 91440300MA5EXAMPLE')).toBe(
      '请打 138****5678 或发 b***@qq.com，卡号 3104 **** **** 5673，税号 9144********MPLE',
    )
  })
  it('masks a whole staff case by field, wherever the field is, and leaves our identifiers alone', () => {
    const view = {
      subject: {
        id: 'APP1',
        title: {
          kind: 'enterprise',
          name: '武汉某某科技有限公司',
          taxId: '91420100MA4KXXXX3T',
          address: '湖北省武汉市江汉区新华路 100 号',
          phone: '027-87654321',
          bankName: '招商银行',
          bankAccount: '6222020200001234',
        },
        email: 'finance@example.com',
        offPlatform: [{ cardNo: '3104000012345673', date: '2026-01-02', amountFen: 5000, channel: 'machine' }],
        address: { recipient: '张三', phone: '13812345678', province: '湖北省', city: '武汉市', district: '江汉区', detail: '新华路 100 号 3 栋 2 单元' },
        messages: [{ from: 'user', text: '我的电话 13812345678', at: '2026-03-01T00:00:00.000Z', photoFileIds: [] }],
        history: [{ type: 'submitted', at: '2026-03-01T00:00:00.000Z', detail: 'INV123-1' }],
        invoiceNo: '26422000000000000001',
      },
      person: {
        openid: 'oAbcdefghijklmnopqrstuvwxyz1',
        email: 'alice@example.com',
        orders: [{ id: 'WT123', cardNo: '3104000012345673', cardNickname: '张三的卡' }],
      },
    }
    const m = maskForStaff(view)
    expect(m.subject.title).toEqual({
      kind: 'enterprise',
      name: '武汉******公司',
      taxId: '9142**********XX3T',
      address: '湖北省武汉市***',
      phone: '027****4321',
      bankName: '招商银行',
      bankAccount: '**** 1234',
    })
    expect(m.subject.email).toBe('f***@example.com')
    expect(m.subject.offPlatform[0]).toMatchObject({ cardNo: '3104 **** **** 5673', amountFen: 5000, date: '2026-01-02' })
    expect(m.subject.address).toEqual({ recipient: '张*', phone: '138****5678', province: '湖北省', city: '武汉市', district: '江汉区', detail: '新华路***' })
    expect(m.subject.messages[0].text).toBe('我的电话 138****5678')
    expect(m.subject.history[0].detail).toBe('INV123-1')
    expect(m.subject.invoiceNo).toBe('26422000000000000001')
    expect(m.person).toEqual({
      openid: 'oAbc****xyz1',
      email: 'a***@example.com',
      orders: [{ id: 'WT123', cardNo: '3104 **** **** 5673', cardNickname: '张**卡' }],
    })
    // the input is not touched
    expect(view.subject.email).toBe('finance@example.com')
  })
})

describe('audit canonical form', () => {
  it('gives the same text whatever the key order, and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined, w: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"w":null,"y":2}]},"b":1}')
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }))
  })
  it('tells different states apart', () => {
    expect(canonicalJson({ status: 'submitted' })).not.toBe(canonicalJson({ status: 'in_review' }))
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]))
  })
  it('numbers records by their place in the chain', () => {
    expect(auditId(42)).toBe('AUD000000000042')
  })
})
