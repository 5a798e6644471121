import fs from 'node:fs'
import path from 'node:path'

/**
 * The Chinese font of the invoice PDF: Noto Sans SC Regular (TrueType, about 10.5 MB).
 *
 * Read and parsed ONCE per process and path. pdfkit accepts an already-parsed fontkit font as
 * a font source (`PDFFontFactory.open` takes any object with `layout()`), so every document
 * reuses the same parsed font and its glyph caches; pdfkit still subsets per document. Passing
 * the Buffer instead would make fontkit re-parse the tables for every PDF (measured about 4x
 * slower per render).
 */

export const FONT_FILE_NAME = 'NotoSansSC-Regular.ttf'
const PACKAGE_FONT = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'

/**
 * Where the font is: $INVOICE_FONT_PATH, else fonts/NotoSansSC-Regular.ttf next to the running
 * bundle (the deployed function; scripts/build-functions.ts copies it there), else the npm
 * package (local cloud and tests).
 */
export function defaultFontPath(): string {
  const tried: string[] = []
  const env = process.env.INVOICE_FONT_PATH
  if (env) {
    if (fs.existsSync(env)) return env
    tried.push(`INVOICE_FONT_PATH=${env}`)
  }
  const beside = path.join(__dirname, 'fonts', FONT_FILE_NAME)
  if (fs.existsSync(beside)) return beside
  tried.push(beside)
  try {
    return require.resolve(PACKAGE_FONT)
  } catch {
    tried.push(PACKAGE_FONT)
  }
  throw new Error(`invoice font not found (tried ${tried.join(', ')}): set INVOICE_FONT_PATH or ship fonts/${FONT_FILE_NAME} with the function`)
}

/**
 * The fallback font for rare characters (生僻字, CJK Ext. B to F, e.g. 𪚥): HanaMinB of the
 * Hanazono fonts (GlyphWiki; see scripts/fonts/fallback-font.ts for why this one). Chosen glyph by
 * glyph at render time where Noto Sans SC has no glyph. Where it is: $INVOICE_FALLBACK_FONT_PATH,
 * else fonts/HanaMinB.ttf beside the running bundle (scripts/build-functions.ts ships it with the
 * invoice functions), else Debian's fonts-hanazono (local cloud and tests). null when none is
 * there: then a rare character cannot be printed and rendering refuses it (never a box).
 */
export const FALLBACK_FONT_FILE_NAME = 'HanaMinB.ttf'
const DEBIAN_FALLBACK = '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf'

export function defaultFallbackFontPath(): string | null {
  const candidates = [process.env.INVOICE_FALLBACK_FONT_PATH, path.join(__dirname, 'fonts', FALLBACK_FONT_FILE_NAME), DEBIAN_FALLBACK]
  return candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? null
}

/** The part of a fontkit font this module relies on; pdfkit uses the rest. */
export interface ParsedFont {
  layout(text: string): unknown
  hasGlyphForCodePoint(codePoint: number): boolean
  postscriptName: string
}

interface Fontkit {
  create(data: Uint8Array): ParsedFont | { fonts: ParsedFont[] }
}

// fontkit is pdfkit's own font engine (a dependency of pdfkit); required lazily so modules that
// never render a PDF do not load it.
let fontkit: Fontkit | null = null
const cache = new Map<string, ParsedFont>()

/**
 * Parses a font once per process and path. `probe` is a code point the font must have: 票 for
 * the main font, 𪚥 (U+2A6A5, CJK Ext. B) for the rare-character fallback.
 */
export function loadFont(fontPath: string, probe = 0x7968 /* 票 */): ParsedFont {
  const hit = cache.get(fontPath)
  if (hit) return hit
  let data: Buffer
  try {
    data = fs.readFileSync(fontPath)
  } catch (e) {
    throw new Error(`invoice font cannot be read at ${fontPath}: ${(e as Error).message}`)
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- parsed on the first invoice only: functions that never render stay fast to load
  fontkit ??= require('fontkit') as Fontkit
  let font: ParsedFont | undefined
  try {
    const parsed = fontkit.create(data)
    font = 'fonts' in parsed ? parsed.fonts[0] : parsed
  } catch {
    font = undefined
  }
  if (!font || typeof font.layout !== 'function' || !font.hasGlyphForCodePoint(probe)) {
    throw new Error(`invoice font at ${fontPath} is not a TrueType/OpenType font with the glyph U+${probe.toString(16).toUpperCase()}`)
  }
  cache.set(fontPath, font)
  return font
}
