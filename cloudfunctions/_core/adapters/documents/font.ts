import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { heavyLibs } from '../libs/heavy-libs.loader'

/**
 * The fonts of the invoice PDF.
 *
 * Main font: Noto Sans SC Regular. The deployed functions ship a build-time subset of it
 * (scripts/fonts/common-subset.ts: the 8,105 characters of 通用规范汉字表, ASCII, Latin-1,
 * punctuation and full-width forms), brotli-compressed (NotoSansSC-common.ttf.br, about 1.4 MB
 * instead of 10.5 MB), so an issuing function stays under 2 MB and its first invoice parses a
 * small font. The local cloud and tests use the whole font from the npm package.
 *
 * Fallback fonts, for what the subset lacks (rare characters in names: 生僻字, CJK Ext. B and
 * beyond, 王𪚥; traditional forms): the whole Noto Sans SC, then HanaMinB (see
 * scripts/fonts/fallback-font.ts). They are NOT in the bundles: loaded only when a document has
 * a character the main font lacks, from local files or, in WeChat cloud, downloaded once per
 * instance from cloud storage (FallbackFontSource).
 *
 * Every font is read and parsed ONCE per process and path. pdfkit accepts an already-parsed
 * fontkit font as a font source (`PDFFontFactory.open` takes any object with `layout()`), so
 * every document reuses the same parsed font and its glyph caches; pdfkit still subsets per
 * document. Passing the Buffer instead would make fontkit re-parse the tables for every PDF
 * (measured about 4x slower per render).
 */

/** The subset the build ships beside every issuing function (scripts/build-functions.ts). */
export const FONT_FILE_NAME = 'NotoSansSC-common.ttf.br'
/** The whole font under this name beside a bundle is used instead (shipped by hand). */
export const FULL_FONT_FILE_NAME = 'NotoSansSC-Regular.ttf'
const PACKAGE_FONT = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'

/**
 * Where the main font is: $INVOICE_FONT_PATH, else fonts/NotoSansSC-common.ttf.br (or
 * fonts/NotoSansSC-Regular.ttf) next to the running bundle (the deployed function), else the npm
 * package (local cloud and tests).
 */
export function defaultFontPath(): string {
  const tried: string[] = []
  const env = process.env.INVOICE_FONT_PATH
  if (env) {
    if (fs.existsSync(env)) return env
    tried.push(`INVOICE_FONT_PATH=${env}`)
  }
  for (const name of [FONT_FILE_NAME, FULL_FONT_FILE_NAME]) {
    const beside = path.join(__dirname, 'fonts', name)
    if (fs.existsSync(beside)) return beside
    tried.push(beside)
  }
  try {
    return require.resolve(PACKAGE_FONT)
  } catch {
    tried.push(PACKAGE_FONT)
  }
  throw new Error(`invoice font not found (tried ${tried.join(', ')}): set INVOICE_FONT_PATH or ship fonts/${FONT_FILE_NAME} with the function`)
}

/**
 * The rare-character font (生僻字, CJK Ext. B to F, e.g. 𪚥): HanaMinB of the Hanazono fonts.
 * Where it is locally: $INVOICE_FALLBACK_FONT_PATH, else fonts/HanaMinB.ttf beside the running
 * bundle (if shipped by hand), else Debian's fonts-hanazono. null when none is there.
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

/**
 * Where the fallback fonts come from: local files in order (the first that has a glyph wins).
 * Asked only when a document has a character the main font lacks; may download (WeChat cloud).
 */
export interface FallbackFontSource {
  paths(): Promise<string[]>
}

/**
 * Local fallbacks: the whole Noto Sans SC (when the main font is a subset: everything it dropped)
 * and HanaMinB. `hanaMinB` null: no rare-character font (tests of the refusal).
 */
export function localFallbackFonts(hanaMinB: string | null | undefined = defaultFallbackFontPath()): FallbackFontSource {
  return {
    paths: async () => {
      const out: string[] = []
      const beside = path.join(__dirname, 'fonts', FULL_FONT_FILE_NAME)
      if (fs.existsSync(beside)) out.push(beside)
      else {
        try {
          out.push(require.resolve(PACKAGE_FONT))
        } catch {
          // a deployed bundle: no npm package within reach
        }
      }
      if (hanaMinB) out.push(hanaMinB)
      return out
    },
  }
}

/** Where downloaded fallback fonts are kept: this process's own folder under /tmp. */
export const fallbackFontDir = () => path.join(os.tmpdir(), `invoice-fonts-${process.pid}`)

/**
 * WeChat cloud: the fallback fonts are files in cloud storage (INVOICE_FALLBACK_FONT_FILE_IDS,
 * uploaded at deploy), downloaded to the instance's /tmp the first time a document needs one
 * and kept there for the instance's life. A failed download is retried on the next document.
 */
export function storageFallbackFonts(fileIDs: string[], download: (fileID: string) => Promise<Buffer>, dir = fallbackFontDir()): FallbackFontSource {
  let pending: Promise<string[]> | null = null
  const fetchAll = async () => {
    fs.mkdirSync(dir, { recursive: true })
    const out: string[] = []
    for (const id of fileIDs) {
      // named by the whole fileID (two environments' fonts never mix in a shared /tmp)
      const file = path.join(dir, `${crypto.createHash('sha256').update(id).digest('hex').slice(0, 12)}-${path.basename(id).replace(/[^\w.-]/g, '_')}`)
      if (!fs.existsSync(file)) {
        const tmp = `${file}.${process.pid}.tmp`
        fs.writeFileSync(tmp, await download(id))
        fs.renameSync(tmp, file) // whole or not at all: a half-written font is never parsed
      }
      out.push(file)
    }
    return out
  }
  return {
    paths: () => {
      pending ??= fetchAll().catch((e: unknown) => {
        pending = null
        throw new Error(`fallback fonts could not be downloaded from cloud storage: ${(e as Error).message}`)
      })
      return pending
    },
  }
}

/**
 * font.hasGlyphForCodePoint, remembered per font: fontkit answers by a binary search that decodes
 * cmap records on every call, and a document asks for every character twice or more.
 */
const glyphs = new WeakMap<ParsedFont, Map<number, boolean>>()
export function hasGlyph(font: ParsedFont, codePoint: number): boolean {
  let known = glyphs.get(font)
  if (!known) glyphs.set(font, (known = new Map<number, boolean>()))
  let has = known.get(codePoint)
  if (has === undefined) known.set(codePoint, (has = font.hasGlyphForCodePoint(codePoint)))
  return has
}

const cache = new Map<string, ParsedFont>()
const pending = new Map<string, Promise<ParsedFont>>()

/** The font file's bytes; a `.br` / `.gz` file (the shipped subset) is decompressed first. */
function readFontFile(fontPath: string): Buffer {
  const data = fs.readFileSync(fontPath)
  if (fontPath.endsWith('.br')) return zlib.brotliDecompressSync(data)
  if (fontPath.endsWith('.gz')) return zlib.gunzipSync(data)
  return data
}

const brotliDecompress = promisify(zlib.brotliDecompress)
const gunzip = promisify(zlib.gunzip)

/**
 * loadFont, with the file read and decompressed off the main thread (libuv's pool): the first
 * invoice of an instance starts it, then compiles pdfkit meanwhile (pdf.renderer.ts).
 */
export function loadFontAsync(fontPath: string, probe: number | null = 0x7968 /* 票 */): Promise<ParsedFont> {
  const hit = cache.get(fontPath)
  if (hit) return Promise.resolve(hit)
  let p = pending.get(fontPath)
  if (!p) {
    p = fs.promises
      .readFile(fontPath)
      .then((data) => (fontPath.endsWith('.br') ? brotliDecompress(data) : fontPath.endsWith('.gz') ? gunzip(data) : data))
      .then(
        (data) => parseFont(fontPath, data, probe),
        (e: unknown) => {
          throw new Error(`invoice font cannot be read at ${fontPath}: ${(e as Error).message}`)
        },
      )
      .finally(() => pending.delete(fontPath))
    pending.set(fontPath, p)
  }
  return p
}

/**
 * Parses a font once per process and path. `probe` is a code point the font must have (票 for
 * the main font; null for a fallback, which only has to be a font).
 */
export function loadFont(fontPath: string, probe: number | null = 0x7968 /* 票 */): ParsedFont {
  const hit = cache.get(fontPath)
  if (hit) return hit
  let data: Buffer
  try {
    data = readFontFile(fontPath)
  } catch (e) {
    throw new Error(`invoice font cannot be read at ${fontPath}: ${(e as Error).message}`)
  }
  return parseFont(fontPath, data, probe)
}

function parseFont(fontPath: string, data: Buffer, probe: number | null): ParsedFont {
  const hit = cache.get(fontPath)
  if (hit) return hit
  let font: ParsedFont | undefined
  try {
    const parsed = heavyLibs().fontkit.create(data)
    font = 'fonts' in parsed ? parsed.fonts[0] : parsed
  } catch {
    font = undefined
  }
  if (!font || typeof font.layout !== 'function' || (probe !== null && !font.hasGlyphForCodePoint(probe))) {
    throw new Error(`invoice font at ${fontPath} is not a TrueType/OpenType font with the glyph U+${(probe ?? 0).toString(16).toUpperCase()}`)
  }
  cache.set(fontPath, font)
  return font
}
