/**
 * The card-number rule, in one place: the mini-program checks it inline (card-add, the 补开 form)
 * and the cloud (cloudfunctions/_core/domain/card.ts) has the last word with the same code.
 * A Wuhan Tong card number is 16 digits (spaces and dashes ignored) whose last digit is a Luhn
 * (mod 10) check digit, so one mistyped digit or a swap of neighbours is caught before money moves.
 */
export const CARD_NO_LENGTH = 16

export function normalizeCardNo(raw: string): string {
  return raw.replace(/[\s-]/g, '')
}

export function luhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** null for a valid number, else what is wrong (plain Chinese, with the next step). */
export function cardNoProblem(raw: string): string | null {
  const digits = normalizeCardNo(raw)
  if (digits.length === 0) return '请输入卡号'
  if (!/^\d+$/.test(digits)) return '卡号只能是数字'
  if (digits.length !== CARD_NO_LENGTH) return `卡号为 ${CARD_NO_LENGTH} 位数字，当前 ${digits.length} 位，请核对卡面`
  if (!luhnValid(digits)) return '卡号校验未通过，请核对卡面号码后重新输入'
  return null
}

/** A card group label (分组, e.g. a company's 部门): at most this many characters. */
export const CARD_GROUP_MAX = 20

/** null for a usable group label (blank clears the group), else what is wrong. */
export function cardGroupProblem(raw: string): string | null {
  const g = raw.trim()
  if ([...g].length > CARD_GROUP_MAX) return `分组名称最多 ${CARD_GROUP_MAX} 个字`
  return null
}
