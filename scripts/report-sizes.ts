import fs from 'node:fs'
import path from 'node:path'

/**
 * Prints the weapp main package size and every function bundle's size after `npm run build`,
 * and fails when the main package (or a subpackage) passes WeChat's 2 MB limit.
 */
const root = path.resolve(__dirname, '..')
const LIMIT = 2 * 1024 * 1024

function sizeOf(dir: string, skip: Set<string> = new Set()): number {
  let total = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (skip.has(p)) continue
    if (entry.isDirectory()) total += sizeOf(p, skip)
    else if (!entry.name.endsWith('.map')) total += fs.statSync(p).size
  }
  return total
}

const dist = path.join(root, 'miniprogram', 'dist')
const appJson = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8')) as {
  subPackages?: { root: string }[]
  subpackages?: { root: string }[]
}
const subs = (appJson.subPackages ?? appJson.subpackages ?? []).map((s) => path.join(dist, s.root))
const main = sizeOf(dist, new Set(subs))
let failed = false
process.stdout.write(`weapp_main_package_kb: ${(main / 1024).toFixed(1)}\n`)
if (main > LIMIT) failed = true
for (const s of subs) {
  const n = sizeOf(s)
  process.stdout.write(`weapp_subpackage_${path.basename(s)}_kb: ${(n / 1024).toFixed(1)}\n`)
  if (n > LIMIT) failed = true
}
for (const name of fs.readdirSync(path.join(root, 'cloudfunctions'))) {
  const f = path.join(root, 'cloudfunctions', name, 'index.js')
  if (fs.existsSync(f)) process.stdout.write(`function_bundle_${name}_kb: ${(fs.statSync(f).size / 1024).toFixed(1)}\n`)
}
if (failed) {
  process.stderr.write('weapp package over the 2 MB limit\n')
  process.exit(1)
}
