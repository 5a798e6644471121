import type { InvoiceCaps } from './domain'

/**
 * Rules of invoicing that both the cloud functions and the mini-program decide: the e-mail
 * syntax and the merge caps. One home (CONVENTIONS 14): the cloud's domain throws with these,
 * the pages check inline with the very same functions, so the two cannot drift. Pure.
 */

/** RFC 5321's longest path; the column and the input box use it too. */
export const EMAIL_MAX_LENGTH = 254

// Deliberately narrow: the invoice platforms and Chinese mail providers accept ASCII addresses only.
const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$/

/** true for an address we send invoices to (surrounding spaces are ignored). */
export function isEmail(raw: string): boolean {
  const email = raw.trim()
  return email.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(email) && !email.includes('..')
}

const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`

/**
 * Why `count` top-ups totalling `totalFen` cannot go on one invoice, or null when they can.
 * The message is the one the cloud answers with (INVOICE.CAP_EXCEEDED).
 */
export function mergeCapProblem(caps: Pick<InvoiceCaps, 'maxOrders' | 'maxTotalFen'>, count: number, totalFen: number): string | null {
  if (count > caps.maxOrders) return `一张发票最多合并 ${caps.maxOrders} 笔充值，请分开开票`
  if (totalFen > caps.maxTotalFen) return `一张发票金额最多 ${yuan(caps.maxTotalFen)}，请分开开票`
  return null
}
