import fs from 'node:fs'
import path from 'node:path'

/**
 * The layering rules of docs/architecture.md, checked on the import statements themselves:
 * dependencies point inwards and only adapters touch an SDK or a driver.
 */
const root = path.resolve(__dirname, '..')
const core = path.join(root, 'cloudfunctions', '_core')

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

function imports(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8')
  return [...src.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((m) => {
    const spec = m[1]
    return spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)) : spec
  })
}

const layer = (dir: string) => files(path.join(core, dir)).map((f) => ({ file: path.relative(root, f), deps: imports(f) }))
const DRIVERS = ['better-sqlite3', 'wx-server-sdk', '@cloudbase/node-sdk', 'nodemailer']

it('domain imports nothing but the domain and the shared types', () => {
  for (const { file, deps } of layer('domain')) {
    for (const d of deps) expect([file, d.startsWith('cloudfunctions/_core/domain/') || d.startsWith('types/')]).toEqual([file, true])
  }
})

it('use cases (app) and runtime never import adapters, wiring or drivers', () => {
  for (const { file, deps } of [...layer('app'), ...layer('runtime'), ...layer('ports')]) {
    for (const d of deps) {
      const bad = d.includes('_core/adapters/') || d.includes('_core/wiring/') || DRIVERS.includes(d)
      expect([file, d, bad]).toEqual([file, d, false])
    }
  }
})

it('only adapters and wiring import drivers, and local and WeChat adapters never import each other', () => {
  for (const f of files(core)) {
    const rel = path.relative(root, f)
    for (const d of imports(f)) {
      if (DRIVERS.includes(d)) expect([rel, /_core\/(adapters|wiring)\//.test(rel)]).toEqual([rel, true])
      if (rel.includes('adapters/local/')) expect([rel, d.includes('adapters/wx/')]).toEqual([rel, false])
      if (rel.includes('adapters/wx/') || rel.includes('wiring/wx'))
        expect([rel, d.includes('adapters/local/') || d.includes('wiring/local')]).toEqual([rel, false])
    }
  }
})

it('function handlers import the core, never another function', () => {
  const fnDir = path.join(root, 'cloudfunctions')
  for (const name of fs.readdirSync(fnDir).filter((n) => fs.existsSync(path.join(fnDir, n, 'src')))) {
    for (const f of files(path.join(fnDir, name, 'src'))) {
      for (const d of imports(f)) {
        if (d.startsWith('cloudfunctions/')) expect([f, d.startsWith(`cloudfunctions/_core/`) || d.startsWith(`cloudfunctions/${name}/`)]).toEqual([f, true])
      }
    }
  }
})
