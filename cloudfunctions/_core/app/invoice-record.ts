import crypto from 'node:crypto'
import type { StoredInvoice } from '../ports/invoice.repo'

/** What a new invoice record is made of; everything else starts empty (requested, blue, no files). */
export type InvoiceFacts = Pick<
  StoredInvoice,
  'id' | 'openid' | 'clientToken' | 'source' | 'title' | 'email' | 'amountFen' | 'orderIds' | 'cards' | 'requestedAt'
> &
  Partial<Pick<StoredInvoice, 'color' | 'originalId' | 'correctionId' | 'correctionCount' | 'confirmationNo'>>

/** One home for a new invoice record (single, merged, automatic, application, red, 换开). */
export function newInvoiceRecord(facts: InvoiceFacts): StoredInvoice {
  return {
    status: 'requested',
    issuedAt: null,
    invoiceNo: null,
    attempts: 0,
    requestNo: null,
    lastError: null,
    nextRetryAt: null,
    leaseUntil: null,
    pdfFileId: null,
    pdfSha256: null,
    pdfBytes: null,
    xmlFileId: null,
    xmlSha256: null,
    xmlBytes: null,
    ofdFileId: null,
    ofdSha256: null,
    ofdBytes: null,
    color: 'blue',
    originalId: null,
    reversedById: null,
    replacedById: null,
    correctionId: null,
    correctionCount: 0,
    confirmationNo: null,
    ...facts,
  }
}

/** A fresh invoice id: time-ordered prefix, random tail. */
export const newInvoiceId = (now: Date): string => `INV${now.getTime().toString(36).toUpperCase()}${crypto.randomBytes(5).toString('hex').toUpperCase()}`

/** The cards of a set of orders, each once, in order of first appearance. */
export const distinctCards = (orders: readonly { cardNo: string; cardNickname: string }[]): StoredInvoice['cards'] => [
  ...new Map(orders.map((o) => [o.cardNo, { cardNo: o.cardNo, nickname: o.cardNickname }])).values(),
]
