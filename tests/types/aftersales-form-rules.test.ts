import { APPLICATION_NOTE_MAX, TICKET_TEXT_MAX, contactPhoneProblem, maskPhone, textLength } from '../../types/aftersales-rules'
import { NOTE_MAX } from '../../cloudfunctions/_core/domain/application'
import { TICKET_TEXT_MAX as DOMAIN_TICKET_TEXT_MAX } from '../../cloudfunctions/_core/domain/ticket'

/** The inline checks of the 补开 and 问题反馈 forms (the cloud has the last word with the same limits). */
describe('after-sales form rules', () => {
  it('asks for a contact phone, then for a mobile or a landline with area code', () => {
    expect(contactPhoneProblem('')).toContain('请填写联系电话')
    expect(contactPhoneProblem('  ')).toContain('请填写联系电话')
    expect(contactPhoneProblem('12345')).toContain('11 位手机号')
    expect(contactPhoneProblem('138 1234 5678')).toBeNull()
    expect(contactPhoneProblem('027-87654321')).toBeNull()
  })

  it('masks the phone the person typed as lists show it', () => {
    expect(maskPhone('138 1234 5678')).toBe('138****5678')
  })

  it('counts characters as people do (CJK and emoji are one each)', () => {
    expect(textLength('发票😀a')).toBe(4)
  })

  it('uses the same limits as the cloud', () => {
    expect(APPLICATION_NOTE_MAX).toBe(NOTE_MAX)
    expect(TICKET_TEXT_MAX).toBe(DOMAIN_TICKET_TEXT_MAX)
  })
})
