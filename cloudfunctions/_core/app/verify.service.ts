import type { VerifyAnswer } from '../../../types/ledger'
import { DomainError } from '../domain/errors'
import { INVOICE_NO_PATTERN } from '../domain/invoice'
import { SHA256_HEX, cnDate, publicFacts, windowStart } from '../domain/ledger'
import type { StoredInvoice } from '../ports/invoice.repo'
import type { Deps } from '../runtime/deps'

const MAX_NUMBERS = 5
const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * 验真: anyone signed in (a reimbursing accountant who was forwarded a file) asks whether a file
 * or a number + amount + date is one of our invoices. The answer names only what is printed
 * for everyone on the invoice (number, date, amount, seller), never the buyer, and only for a
 * genuine match. Every check counts against the caller's window (a unique-keyed counter per
 * caller and window): numbers cannot be probed in bulk.
 */
async function spend(deps: Deps, openid: string): Promise<number> {
  const { verifyMaxPerWindow: max, verifyWindowSeconds: seconds } = deps.config.ledger
  const now = deps.clock.now()
  const start = windowStart(now, seconds)
  const count = await deps.ledger.hit(`verify|${openid}|${start}`, now.toISOString())
  if (count > max) {
    const minutes = Math.max(1, Math.ceil((Date.parse(start) + seconds * 1000 - now.getTime()) / 60_000))
    throw new DomainError('VERIFY.RATE_LIMITED', `查验次数已达上限（每 ${Math.round(seconds / 60)} 分钟 ${max} 次），请 ${minutes} 分钟后再试`)
  }
  return max - count
}

const answer = (deps: Deps, result: VerifyAnswer['result'], inv: StoredInvoice | null, remaining: number): VerifyAnswer => ({
  result,
  invoice: result === 'genuine' && inv ? publicFacts(inv, deps.config.invoice.seller.name) : null,
  remaining,
})

async function byNumber(deps: Deps, invoiceNo: string): Promise<StoredInvoice | null> {
  for (const id of await deps.staffQueries.invoiceIdsByNumber(invoiceNo, 2)) {
    const inv = await deps.invoices.findById(id)
    if (inv?.status === 'issued') return inv
  }
  return null
}

/**
 * A file, by its SHA-256 (computed on the device: the forwarded file never leaves it) and the
 * invoice numbers the device found in it. Our file byte for byte: genuine. Not ours, but it
 * carries one of our numbers: altered. Otherwise unknown.
 */
export async function verifyFile(deps: Deps, openid: string, input: { sha256: string; numbers?: string[] }): Promise<VerifyAnswer> {
  const sha = input.sha256.toLowerCase()
  if (!SHA256_HEX.test(sha)) throw new DomainError('VERIFY.INPUT_INVALID', '文件摘要不正确，请重新选择文件')
  const numbers = [...new Set(input.numbers ?? [])]
  if (numbers.length > MAX_NUMBERS || numbers.some((n) => !INVOICE_NO_PATTERN.test(n))) throw new DomainError('VERIFY.INPUT_INVALID', '发票号码应为 20 位数字')
  const remaining = await spend(deps, openid)
  for (const id of await deps.ledger.invoiceIdsBySha256(sha, 2)) {
    const inv = await deps.invoices.findById(id)
    if (inv?.status === 'issued') return answer(deps, 'genuine', inv, remaining)
  }
  for (const n of numbers) if (await byNumber(deps, n)) return answer(deps, 'altered', null, remaining)
  return answer(deps, 'unknown', null, remaining)
}

/** By what is printed: number, amount (价税合计, fen) and issue date must all match for genuine. */
export async function verifyNumber(deps: Deps, openid: string, input: { invoiceNo: string; amountFen: number; issueDate: string }): Promise<VerifyAnswer> {
  const invoiceNo = input.invoiceNo.trim()
  if (!INVOICE_NO_PATTERN.test(invoiceNo)) throw new DomainError('VERIFY.INPUT_INVALID', '发票号码应为 20 位数字')
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen === 0) throw new DomainError('VERIFY.INPUT_INVALID', '请填写发票金额')
  if (!DATE.test(input.issueDate) || Number.isNaN(Date.parse(input.issueDate))) throw new DomainError('VERIFY.INPUT_INVALID', '开票日期格式应为 YYYY-MM-DD')
  const remaining = await spend(deps, openid)
  const inv = await byNumber(deps, invoiceNo)
  if (!inv) return answer(deps, 'unknown', null, remaining)
  // a red invoice prints its amount negative; either sign is accepted for it
  const same = Math.abs(input.amountFen) === inv.amountFen && inv.issuedAt !== null && cnDate(inv.issuedAt) === input.issueDate
  return answer(deps, same ? 'genuine' : 'altered', inv, remaining)
}
