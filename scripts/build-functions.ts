import { build, type Plugin } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { COMMON_FONT_NAME, commonSubset } from './fonts/common-subset'
import { fallbackFontSource } from './fonts/fallback-font'
import { MAIN_FONT, printableRanges } from './fonts/printable-ranges'
import { PRINTABLE_RANGES } from '../types/printable-ranges'

/**
 * Bundles each cloud function's src/index.ts, with the shared core, into that folder's own
 * index.js (convention 4: a function deploys alone). wx-server-sdk stays external: WeChat
 * cloud installs it from the function's package.json.
 */
const root = path.resolve(__dirname, '..')
const dir = path.join(root, 'cloudfunctions')

/**
 * Functions that render invoice PDFs ship beside their bundle the build-time subset of the font
 * (fonts/NotoSansSC-common.ttf.br, scripts/fonts/common-subset.ts); functions that render or
 * mail ship the heavy libraries apart (lib/heavy-libs.js.br: pdfkit, fontkit, qrcode,
 * nodemailer), loaded on first use only (adapters/libs/heavy-libs.loader.ts). The fallback fonts
 * for rare characters are NOT shipped: font.ts fetches them when a name needs them.
 */
// Which functions: those whose bundle holds the renderer (found in esbuild's metafile). payNotify
// does not: it records the payment and hands issuing to invoiceWorker (issue 7), so it stays a
// small bundle that starts fast when WeChat calls back.
export const HEAVY_LIBS_PATH = path.join('lib', 'heavy-libs.js.br')

/** fonts/ and lib/ hold exactly what this build ships (older builds left other fonts there). */
function syncFolder(dir: string, files: Record<string, Buffer | string> | null): void {
  if (!files) return void fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  for (const f of fs.readdirSync(dir)) if (!(f in files)) fs.rmSync(path.join(dir, f), { recursive: true, force: true })
  for (const [name, src] of Object.entries(files)) {
    const dest = path.join(dir, name)
    const data = typeof src === 'string' ? fs.readFileSync(src) : src
    if (fs.existsSync(dest) && fs.readFileSync(dest).equals(data)) continue
    fs.writeFileSync(dest, data)
  }
}

/**
 * fontkit's WOFF2 reader pulls in the brotli package (1.3 MB of JavaScript, mostly a
 * dictionary). The invoice fonts are TrueType: WOFF2 is refused with a message instead.
 */
export const noWoff2: Plugin = {
  name: 'no-woff2',
  setup(b) {
    b.onResolve({ filter: /^brotli\/decompress(\.js)?$/ }, () => ({ path: 'brotli-decompress', namespace: 'no-woff2' }))
    b.onLoad({ filter: /.*/, namespace: 'no-woff2' }, () => ({
      contents: 'module.exports = function () { throw new Error("WOFF2 fonts are not supported by the invoice renderer: use a TrueType font") }',
      loader: 'js',
    }))
  },
}

/**
 * In a function bundle the heavy libraries are the separate lib/heavy-libs.js.br (the loader
 * reads it): the loader's fallback `require('./heavy-libs')` is replaced by a module that says the
 * file is missing, so the bundle does not carry them twice.
 */
const heavyLibsApart: Plugin = {
  name: 'heavy-libs-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/heavy-libs$/ }, (a) =>
      a.importer.endsWith('heavy-libs.loader.ts') ? { path: 'heavy-libs', namespace: 'heavy-libs-apart' } : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'heavy-libs-apart' }, () => ({
      contents: `throw new Error(${JSON.stringify(`${HEAVY_LIBS_PATH} is missing beside the function: deploy what npm run build:functions made`)})`,
      loader: 'js',
    }))
  },
}

/**
 * tiny-inflate is a DEFLATE decoder in JavaScript; linebreak and unicode-properties (pdfkit,
 * fontkit) inflate their Unicode tables with it when they load: about 35 ms of every cold
 * render. zlib does the same natively in well under 1 ms; same function, same result.
 */
export const nativeInflate: Plugin = {
  name: 'native-inflate',
  setup(b) {
    b.onResolve({ filter: /^tiny-inflate$/ }, () => ({ path: 'tiny-inflate', namespace: 'native-inflate' }))
    b.onLoad({ filter: /.*/, namespace: 'native-inflate' }, () => ({
      contents: `const zlib = require('node:zlib')
module.exports = function inflate(source, dest) {
  const out = zlib.inflateRawSync(source)
  if (out.length > dest.length) throw new Error('Data error')
  dest.set(out)
  return out.length < dest.length ? dest.slice(0, out.length) : dest
}`,
      loader: 'js',
    }))
  },
}

const COMMON = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', legalComments: 'none', logLevel: 'warning' } as const

/** lib/heavy-libs.js.br: heavy-libs.ts bundled alone, minified and brotli-compressed (once per build). */
let heavyLibsPacked: Promise<Buffer> | null = null
function packHeavyLibs(): Promise<Buffer> {
  return (heavyLibsPacked ??= build({
    ...COMMON,
    entryPoints: [path.join(root, 'cloudfunctions/_core/adapters/libs/heavy-libs.ts')],
    write: false,
    outfile: 'heavy-libs.js',
    minify: true,
    plugins: [noWoff2, nativeInflate],
  }).then((r) => zlib.brotliCompressSync(r.outputFiles[0].contents, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })))
}

/**
 * The fallback fonts (the whole Noto Sans SC, then HanaMinB for CJK Ext. B-F) are fetched at run
 * time when a name needs them (font.ts; in WeChat cloud from cloud storage, docs/deploy.md). They
 * are checked once per build against types/printable-ranges.ts: the names the domain accepts
 * before issuing must be exactly what the fonts print, or the build stops (a name accepted but
 * printed as a box, or refused though printable, would otherwise reach production).
 */
let checkedFallback: string | null = null
function fallbackFont(): string {
  if (checkedFallback) return checkedFallback
  const src = fallbackFontSource()
  const shipped = printableRanges([MAIN_FONT, src]).flat()
  if (shipped.length !== PRINTABLE_RANGES.length || shipped.some((v, i) => v !== PRINTABLE_RANGES[i])) {
    throw new Error(`the fonts do not cover exactly types/printable-ranges.ts (fallback ${src}): run npx tsx scripts/fonts/printable-ranges.ts`)
  }
  return (checkedFallback = src)
}

export async function buildFunctions(): Promise<{ name: string; bytes: number; renders: boolean }[]> {
  const names = fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'src', 'index.ts')))
  const out: { name: string; bytes: number; renders: boolean }[] = []
  for (const name of names) {
    const outfile = path.join(dir, name, 'index.js')
    const map = path.join(root, '.cache', 'sourcemaps', name, 'index.js.map')
    const r = await build({
      ...COMMON,
      entryPoints: [path.join(dir, name, 'src', 'index.ts')],
      outfile,
      external: ['wx-server-sdk'],
      // minified: a smaller bundle compiles faster at every cold start and leaves room for the
      // font (issuing functions <= 2 MB in all); keepNames keeps class and function names
      // (error names in logs). The source map stays out of the deployed folder: .cache/sourcemaps/.
      minify: true,
      keepNames: true,
      sourcemap: 'external',
      metafile: true,
      banner: { js: `// Generated by scripts/build-functions.ts from src/ — do not edit. Source map: .cache/sourcemaps/${name}/index.js.map` },
      plugins: [noWoff2, heavyLibsApart],
    })
    fs.mkdirSync(path.dirname(map), { recursive: true })
    fs.renameSync(`${outfile}.map`, map)
    // what the bundle holds (esbuild's metafile) decides what ships beside it
    const holds = (file: string) => Object.keys(r.metafile.inputs).some((f) => f.endsWith(file))
    const renders = holds('adapters/documents/pdf.renderer.ts')
    if (renders) fallbackFont() // the fonts fetched at run time must match types/printable-ranges.ts
    syncFolder(path.join(dir, name, 'fonts'), renders ? { [COMMON_FONT_NAME]: await commonSubset() } : null)
    syncFolder(path.join(dir, name, 'lib'), holds('adapters/libs/heavy-libs.loader.ts') ? { [path.basename(HEAVY_LIBS_PATH)]: await packHeavyLibs() } : null)
    out.push({ name, bytes: fs.statSync(outfile).size, renders })
  }
  return out
}

if (require.main === module) {
  buildFunctions()
    .then((list) => {
      for (const f of list) process.stdout.write(`function_bundle_${f.name}_kb: ${(f.bytes / 1024).toFixed(1)}\n`)
    })
    .catch((e) => {
      process.stderr.write(String(e) + '\n')
      process.exit(1)
    })
}
