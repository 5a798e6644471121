import {
  amount,
  characterString,
  checkSubscribeData,
  INVOICE_FAILED_KEYS,
  INVOICE_ISSUED_KEYS,
  invoiceFailedMessage,
  invoiceIssuedMessage,
  invoiceReminderMessage,
  maskEmail,
  phrase,
  SubscribeFieldError,
  templateIdsFromEnv,
  TEMPLATE_KEYS,
  thing,
  time,
} from '../../cloudfunctions/_core/domain/subscribe'

const len = (s: string) => Array.from(s).length

describe('thing: at most 20 characters', () => {
  it('keeps a short value as it is', () => {
    expect(thing('武汉市某某科技有限公司')).toBe('武汉市某某科技有限公司')
  })

  it('cuts a long Chinese title to 20 characters ending in …, counting characters not bytes', () => {
    const name = '武汉市江汉区某某某某信息科技股份有限公司第一分公司'
    const v = thing(name)
    expect(len(v)).toBe(20)
    expect(v).toBe(`${Array.from(name).slice(0, 19).join('')}…`)
    // 20 Chinese characters are 60 UTF-8 bytes and still fit
    const twenty = '一二三四五六七八九十一二三四五六七八九十'
    expect(thing(twenty)).toBe(twenty)
  })

  it('strips control characters, line breaks and emoji', () => {
    expect(thing('张三\n\u0000有限\u202e公司\t🚇')).toBe('张三 有限公司')
  })

  it('never splits a character outside the BMP', () => {
    const v = thing('𠮷'.repeat(25))
    expect(len(v)).toBe(20)
    expect(v.endsWith('𠮷…')).toBe(true)
  })

  it('takes the fallback for empty text, and throws without one', () => {
    expect(thing('  \n ', '暂无')).toBe('暂无')
    expect(() => thing('')).toThrow(SubscribeFieldError)
  })
})

describe('phrase: five or fewer Chinese characters', () => {
  it('accepts 重试中 and five characters', () => {
    expect(phrase('重试中')).toBe('重试中')
    expect(phrase('开票已完成')).toBe('开票已完成')
  })
  it('rejects non-Chinese text and more than five characters', () => {
    expect(() => phrase('retry')).toThrow(SubscribeFieldError)
    expect(() => phrase('重试中1')).toThrow(SubscribeFieldError)
    expect(() => phrase('重试 中')).toThrow(SubscribeFieldError)
    expect(() => phrase('正在重新开票中')).toThrow(SubscribeFieldError)
    expect(() => phrase('')).toThrow(SubscribeFieldError)
  })
})

describe('amount: a currency symbol and at most 10 digits', () => {
  it('formats integer fen as ¥yuan.fen', () => {
    expect(amount(5000)).toBe('¥50.00')
    expect(amount(1)).toBe('¥0.01')
    expect(amount(123456)).toBe('¥1234.56')
    expect(amount(0)).toBe('¥0.00')
  })
  it('counts the decimal point among the 10 and refuses rather than cut money', () => {
    expect(amount(999_999_999)).toBe('¥9999999.99')
    expect(() => amount(1_000_000_000)).toThrow(SubscribeFieldError)
  })
  it('refuses fractions of a fen and negative sums', () => {
    expect(() => amount(50.5)).toThrow(SubscribeFieldError)
    expect(() => amount(-100)).toThrow(SubscribeFieldError)
  })
})

describe('character_string: at most 32 letters, digits and symbols', () => {
  it('keeps a 20-digit invoice number and drops whitespace', () => {
    expect(characterString('26421000000000000123')).toBe('26421000000000000123')
    expect(characterString(' 2642 1000 ')).toBe('26421000')
    expect(characterString('WT-2026_11.28')).toBe('WT-2026_11.28')
  })
  it('never truncates: too long or non-ASCII throws', () => {
    expect(() => characterString('1'.repeat(33))).toThrow(SubscribeFieldError)
    expect(characterString('1'.repeat(32))).toHaveLength(32)
    expect(() => characterString('发票123')).toThrow(SubscribeFieldError)
  })
})

describe('time: YYYY-MM-DD HH:mm in UTC+8', () => {
  it('converts from UTC', () => {
    expect(time('2026-11-28T04:30:00.000Z')).toBe('2026-11-28 12:30')
    expect(time('2026-11-28T16:05:00Z')).toBe('2026-11-29 00:05')
    expect(time(new Date('2026-12-31T23:59:59Z'))).toBe('2027-01-01 07:59')
  })
  it('refuses what is not a date', () => {
    expect(() => time('yesterday')).toThrow(SubscribeFieldError)
  })
})

describe('checkSubscribeData: the rules WeChat applies', () => {
  it('accepts well-formed values of each type', () => {
    expect(
      checkSubscribeData({
        thing1: { value: '张三' },
        amount2: { value: '¥50.00' },
        character_string3: { value: '26421000000000000123' },
        time4: { value: '2026-11-28 12:30' },
        date5: { value: '2026年11月28日' },
        phrase6: { value: '配送中' },
        number7: { value: '3.5' },
        time8: { value: '15:01' },
        time9: { value: '2026-11-28 12:30 ~ 2026-11-28 13:30' },
        name10: { value: '张三' },
        phone_number11: { value: '+86-027-88886666' },
        car_number12: { value: '鄂A8Z888挂' },
      }),
    ).toEqual({ ok: true })
  })

  it.each([
    ['thing over 20 characters', { thing1: { value: '一'.repeat(21) } }],
    ['phrase with a digit', { phrase1: { value: '第1名' } }],
    ['amount without a symbol', { amount1: { value: '50.00' } }],
    ['amount over 10 digits', { amount1: { value: '¥12345678.90' } }],
    ['time that is no time', { time1: { value: '下午三点' } }],
    ['a number as value', { number1: { value: 3 } }],
    ['an empty value', { thing1: { value: ' ' } }],
    ['an unknown field type', { title1: { value: 'x' } }],
  ])('flags %s', (_label, data) => {
    expect(checkSubscribeData(data).ok).toBe(false)
  })
})

describe('invoice messages', () => {
  const issued = {
    title: { name: '武汉市江汉区某某某某信息科技股份有限公司' },
    amountFen: 5000,
    invoiceNo: '26421000000000000123',
    issuedAt: '2026-11-28T04:30:00Z',
    email: 'zhangsan@qq.com',
  }

  it('builds 发票开具成功通知 within every field limit, with the e-mail masked', () => {
    const data = invoiceIssuedMessage(issued)
    expect(Object.keys(data)).toEqual(['thing1', 'amount2', 'character_string3', 'time4', 'thing5'])
    expect(len(data.thing1.value)).toBe(20)
    expect(data.amount2.value).toBe('¥50.00')
    expect(data.character_string3.value).toBe('26421000000000000123')
    expect(data.time4.value).toBe('2026-11-28 12:30')
    expect(data.thing5.value).toBe('已发送至zh***@qq.com')
    expect(checkSubscribeData(data)).toEqual({ ok: true })
  })

  it('points to the mini-program when there is no e-mail, and never cuts an address', () => {
    expect(invoiceIssuedMessage({ ...issued, email: null }).thing5.value).toBe('可在小程序中查看和下载')
    expect(invoiceIssuedMessage({ ...issued, email: 'someone@a-very-long-company-domain.com.cn' }).thing5.value).toBe('已发送至您的邮箱')
    expect(invoiceIssuedMessage({ ...issued, emailed: false }).thing5.value).toBe('可在小程序中查看和下载')
  })

  it('refuses an invoice that has no number yet', () => {
    expect(() => invoiceIssuedMessage({ ...issued, invoiceNo: null })).toThrow(SubscribeFieldError)
  })

  it('maps fields to other console keys of the same type', () => {
    const data = invoiceIssuedMessage(issued, { ...INVOICE_ISSUED_KEYS, title: 'thing7', hint: 'thing9' })
    expect(Object.keys(data).sort()).toEqual(['amount2', 'character_string3', 'thing7', 'thing9', 'time4'])
  })

  it('builds 发票开具失败通知 with 重试中 and a reason of at most 20 characters', () => {
    const data = invoiceFailedMessage({
      title: { name: '张三' },
      amountFen: 12345,
      requestedAt: '2026-11-28T01:00:00Z',
      reason: '开票平台维护中，系统将自动重新开票，无需重复申请',
    })
    expect(Object.keys(data)).toEqual(Object.values(INVOICE_FAILED_KEYS))
    expect(data.phrase3.value).toBe('重试中')
    expect(data.amount2.value).toBe('¥123.45')
    expect(data.time4.value).toBe('2026-11-28 09:00')
    expect(len(data.thing5.value)).toBeLessThanOrEqual(20)
    expect(checkSubscribeData(data)).toEqual({ ok: true })
    expect(invoiceFailedMessage({ title: { name: '张三' }, amountFen: 100, requestedAt: '2026-11-28T01:00:00Z', reason: null }).thing5.value).toBe(
      '开票服务暂时繁忙',
    )
  })
})

describe('template ids and helpers', () => {
  it('reads template ids from the environment, empty where unset', () => {
    expect(templateIdsFromEnv({ SUBSCRIBE_TEMPLATE_INVOICE_ISSUED: ' abc-123 ' })).toEqual({
      invoiceIssued: 'abc-123',
      invoiceFailed: '',
      afterSalesUpdate: '',
      invoiceReminder: '',
    })
    expect(TEMPLATE_KEYS).toEqual(['invoiceIssued', 'invoiceFailed', 'afterSalesUpdate', 'invoiceReminder'])
  })
  it('masks e-mail addresses', () => {
    expect(maskEmail('zhangsan@qq.com')).toBe('zh***@qq.com')
    expect(maskEmail('ab@qq.com')).toBe('a***@qq.com')
    expect(maskEmail('nonsense')).toBe('***')
  })
})

describe('开票提醒 (invoiceReminder)', () => {
  it('builds the reminder within the field rules: count as a thing, the total as an amount, the deadline as a time', () => {
    const data = invoiceReminderMessage({ count: 3, amountFen: 12345, deadline: '2026-12-31T02:00:00.000Z' })
    expect(data).toEqual({
      thing1: { value: '3 笔充值还未开发票' },
      amount2: { value: expect.stringContaining('123.45') },
      time3: { value: expect.stringMatching(/^2026/) },
      thing4: { value: expect.any(String) },
    })
    expect(checkSubscribeData(data)).toEqual({ ok: true })
  })
})
