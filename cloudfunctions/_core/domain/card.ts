import { CARD_NO_LENGTH, cardGroupProblem, luhnValid, normalizeCardNo } from '../../../types/card-rules'
import { DomainError } from './errors'
import { isPlainLine } from '../../../types/text-rules'

/**
 * Card number rule (documented in docs/api.md): the number printed on a Wuhan Tong card
 * is entered as 16 digits (spaces and dashes are ignored), and its last digit is a Luhn
 * (mod 10) check digit, so one mistyped digit or a swap of neighbours is caught before
 * money moves. (check) against the card issuer's numbering before production.
 * The number rule itself lives in types/card-rules.ts, which the mini-program's inline check
 * imports too (one home for a rule both sides decide).
 */
export { CARD_NO_LENGTH, luhnValid, normalizeCardNo }
export const NICKNAME_MAX = 20

/** Returns the canonical card number or throws CARD.NUMBER_INVALID. */
export function parseCardNo(raw: string): string {
  const cardNo = normalizeCardNo(raw)
  if (!/^\d+$/.test(cardNo) || cardNo.length !== CARD_NO_LENGTH) {
    throw new DomainError('CARD.NUMBER_INVALID', `卡号应为 ${CARD_NO_LENGTH} 位数字，请核对卡面号码`)
  }
  if (!luhnValid(cardNo)) {
    throw new DomainError('CARD.NUMBER_INVALID', '卡号校验未通过，请核对卡面号码后重新输入')
  }
  return cardNo
}

/** A nickname is optional; blank becomes 武汉通 + last 4 digits. */
export function parseNickname(raw: string | undefined, cardNo: string): string {
  const nickname = (raw ?? '').trim()
  if (nickname === '') return `武汉通${cardNo.slice(-4)}`
  if ([...nickname].length > NICKNAME_MAX) {
    throw new DomainError('CARD.NICKNAME_INVALID', `卡片备注最多 ${NICKNAME_MAX} 个字`)
  }
  if (!isPlainLine(nickname)) {
    throw new DomainError('CARD.NICKNAME_INVALID', '卡片备注含有不支持的字符')
  }
  return nickname
}

/**
 * A group label (分组, a company's 部门): trimmed; blank means "no group" (null). The length rule
 * is types/card-rules.ts (the card page checks it as the person types); control and invisible
 * characters are refused here, as for nicknames, because the label is shown and filtered on.
 */
export function parseCardGroup(raw: string | null | undefined): string | null {
  const group = (raw ?? '').trim()
  if (group === '') return null
  const problem = cardGroupProblem(group)
  if (problem) throw new DomainError('CARD.GROUP_INVALID', problem)
  if (!isPlainLine(group)) throw new DomainError('CARD.GROUP_INVALID', '分组名称含有不支持的字符')
  return group
}

/** For logs: keep the first 4 and last 4 digits. */
export function maskCardNo(cardNo: string): string {
  if (cardNo.length <= 8) return '****'
  return `${cardNo.slice(0, 4)}********${cardNo.slice(-4)}`
}
