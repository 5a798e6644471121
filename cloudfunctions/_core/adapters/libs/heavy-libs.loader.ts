import fs from 'node:fs'
import Module from 'node:module'
import path from 'node:path'
import zlib from 'node:zlib'
import type { HeavyLibs } from './heavy-libs'

/**
 * pdfkit, fontkit, qrcode and nodemailer (heavy-libs.ts), required on first use instead of at
 * module load: a function that never renders or mails (or has not yet) does not pay for them.
 *
 * In a deployed function the build ships them as lib/heavy-libs.js.br beside the bundle
 * (minified, brotli-compressed: about a sixth of the size), decompressed and compiled here once
 * per process (about 10 ms). Elsewhere (local cloud, tests, a bundle built without that step)
 * the module is required as usual.
 */
export const HEAVY_LIBS_FILE = 'heavy-libs.js.br'

let libs: HeavyLibs | null = null

interface CompilableModule {
  filename: string
  paths: string[]
  exports: { libs: HeavyLibs }
  _compile(code: string, filename: string): void
}

export function heavyLibs(): HeavyLibs {
  if (libs) return libs
  const packed = path.join(__dirname, 'lib', HEAVY_LIBS_FILE)
  if (fs.existsSync(packed)) {
    const code = zlib.brotliDecompressSync(fs.readFileSync(packed)).toString('utf8')
    const M = Module as unknown as { new (id: string, parent?: unknown): CompilableModule; _nodeModulePaths(dir: string): string[] }
    const m = new M(packed, module)
    m.filename = packed
    m.paths = M._nodeModulePaths(path.dirname(packed))
    m._compile(code, packed)
    libs = m.exports.libs
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- on first use only (see above); the build replaces this branch
    libs = (require('./heavy-libs') as { libs: HeavyLibs }).libs
  }
  return libs
}
