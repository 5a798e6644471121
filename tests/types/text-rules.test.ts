import { hasControl, hasInvisible, isPlainLine, oneLine, xmlSafe } from '../../types/text-rules'

describe('text rules shared by the forms and the cloud', () => {
  it('finds invisible characters: controls, zero-width, direction controls and the BOM', () => {
    for (const s of ['张\u0000三', '张\u200b三', '张\u202e三', '张\u2066三', '\ufeff张三', '张\u0085三', '张\u007f三'])
      expect([s, hasInvisible(s)]).toEqual([s, true])
    for (const s of ['张三', '王𪚥', '武汉示例（科技）有限公司', 'A-1 号']) expect([s, hasInvisible(s)]).toEqual([s, false])
  })

  it('allows tab and line breaks only in multi-line text', () => {
    expect(hasInvisible('第一行\n第二行')).toBe(true)
    expect(hasInvisible('第一行\n第二行\t', { multiline: true })).toBe(false)
    expect(hasInvisible('第一行\u200b', { multiline: true })).toBe(true)
  })

  it('keeps single-line fields free of controls and angle brackets', () => {
    expect(hasControl('a\tb')).toBe(true)
    expect(hasControl('a\u007fb')).toBe(true)
    expect(isPlainLine('上班卡')).toBe(true)
    expect(isPlainLine('<b>卡</b>')).toBe(false)
    expect(isPlainLine('卡\n')).toBe(false)
  })

  it('makes one line for a mail header: each run of breaks and controls is one space', () => {
    expect(oneLine(' 发票\r\n\r\n已开具\u2028请查收\u0000 ')).toBe('发票 已开具 请查收')
    expect(oneLine('Bcc: x\r\nTo: y')).toBe('Bcc: x To: y')
  })

  it('keeps what XML 1.0 allows: drops controls, U+FFFE/FFFF and lone surrogates, keeps pairs', () => {
    expect(xmlSafe('a\u0001b\u000bc\td\ne\rf')).toBe('abc\td\ne\rf')
    expect(xmlSafe('王𪚥\ud800x\udc00y\uffff')).toBe('王𪚥xy')
  })
})
