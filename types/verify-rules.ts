/**
 * 验真 on the device: which of our invoice numbers a file carries. The mini-program sends only
 * the file's SHA-256 and these numbers to the cloud (the forwarded file itself never leaves the
 * phone); the cloud answers genuine (the digest is one of our files), altered (not our bytes, but
 * one of our numbers) or unknown. One home for the rule, used by the pages and by the tests. Pure.
 *
 * Where the number is: the XML (and OFD's XML) in plain text; our PDF in its document
 * information (Title 电子发票 <number>, Keywords 数电票 <number>), which PDF writers keep as
 * UTF-16BE hex strings (<FEFF...>) outside the compressed streams.
 */

/** 数电票 numbers are 20 digits. */
const NUMBER = /(?<!\d)\d{20}(?!\d)/g
const HEX_UTF16 = /<FEFF((?:[0-9A-Fa-f]{4}){1,256})>/gi
const MAX_NUMBERS = 5
/** the information dictionary and the XML root sit within this many bytes of either end */
const SCAN_BYTES = 256 * 1024

function latin1(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...Array.from(bytes.subarray(i, i + 8192)))
  return s
}

function utf16be(hex: string): string {
  let s = ''
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16))
  return s
}

/** Up to 5 distinct 20-digit numbers found in the file, first found first. */
export function invoiceNumbersIn(bytes: Uint8Array): string[] {
  const parts = bytes.length <= 2 * SCAN_BYTES ? [bytes] : [bytes.subarray(0, SCAN_BYTES), bytes.subarray(bytes.length - SCAN_BYTES)]
  const found: string[] = []
  const add = (text: string) => {
    for (const m of text.match(NUMBER) ?? []) if (!found.includes(m) && found.length < MAX_NUMBERS) found.push(m)
  }
  for (const part of parts) {
    const text = latin1(part)
    for (const m of text.matchAll(HEX_UTF16)) add(utf16be(m[1]))
    add(text)
  }
  return found
}

/** A file the page accepts for 验真 (larger ones are not our invoices). */
export const VERIFY_MAX_FILE_BYTES = 20 * 1024 * 1024
