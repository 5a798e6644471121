/* eslint-disable @typescript-eslint/no-require-imports -- each library is required on first use (see below) */
import type PDFKitDocument from 'pdfkit'
import type Nodemailer from 'nodemailer'

/**
 * The heavy third-party code of the issuing functions, in one module of its own: pdfkit, its
 * font engine fontkit, the core of qrcode (the matrix only: not its PNG/SVG/terminal renderers)
 * and nodemailer. Nothing imports it directly: heavy-libs.loader.ts requires it on first use, and
 * the build ships it as a separate, compressed file beside the function
 * (scripts/build-functions.ts), so a function's require stays fast and its package small. Each
 * library is evaluated only when first asked for (a getter): sending a mail does not start
 * pdfkit.
 *
 * `require` on purpose: a bundler then takes pdfkit's CommonJS build, which finds its files with
 * __filename; its ES module build uses import.meta.url, empty in a CommonJS bundle.
 */

interface QrMatrix {
  modules: { size: number; data: Uint8Array }
}

export interface FontkitFont {
  layout(text: string): unknown
  hasGlyphForCodePoint(codePoint: number): boolean
  postscriptName: string
}

export const libs = {
  get PDFDocument(): typeof PDFKitDocument {
    return require('pdfkit') as typeof PDFKitDocument
  },
  /** qrcode's core has no typings of its own; the package index also loads pngjs */
  get qr(): { create(text: string, o: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' }): QrMatrix } {
    return require('qrcode/lib/core/qrcode') as { create(text: string, o: { errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' }): QrMatrix }
  },
  /** pdfkit's own font engine, untyped */
  get fontkit(): { create(data: Uint8Array): FontkitFont | { fonts: FontkitFont[] } } {
    return require('fontkit') as { create(data: Uint8Array): FontkitFont | { fonts: FontkitFont[] } }
  },
  get nodemailer(): typeof Nodemailer {
    return require('nodemailer') as typeof Nodemailer
  },
}

export type HeavyLibs = typeof libs
