import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

/**
 * What a local and a WeChat-cloud snapshot have in common: the folder layout (`manifest.json` beside
 * `data/`), the file list with sizes and SHA-256, the write-then-rename that keeps a crashed backup
 * from looking done, and the check of every file against the manifest. One module, so both kinds of
 * snapshot are verified by the same code.
 */

export const DATA = 'data'
export const MANIFEST = 'manifest.json'

export interface FileEntry {
  /** relative to the data dir, with forward slashes */
  path: string
  bytes: number
  sha256: string
}

/** One file an issued invoice must have, as recorded on the invoice (local row or cloud document). */
export interface InvoiceFileRef {
  invoiceId: string
  kind: 'pdf' | 'xml' | 'ofd'
  fileId: string | null
  sha256: string | null
  bytes: number | null
}

export const sha256 = (buf: Buffer) => crypto.createHash('sha256').update(buf).digest('hex')

/** Every regular file under dir, relative and with forward slashes, sorted. */
export function walk(dir: string, rel = ''): string[] {
  const out: string[] = []
  if (!fs.existsSync(path.join(dir, rel))) return out
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) out.push(...walk(dir, r))
    else if (e.isFile()) out.push(r)
  }
  return out.sort()
}

export function snapshotName(now: Date): string {
  return `wt-backup-${now.toISOString().replace(/[-:]/g, '').replace('.', '')}`
}

/**
 * Writes a snapshot named `base` (or `base-2`, `base-3`... when taken) under outDir: `fill` writes
 * into the data folder it is given (`<name>.partial/data/`) and returns the manifest, which is written last; the folder is then
 * renamed to its final name. On any error the partial folder is removed and the error rethrown.
 */
export async function writeSnapshot<M>(outDir: string, base: string, fill: (data: string) => Promise<M>): Promise<{ dir: string; manifest: M }> {
  fs.mkdirSync(outDir, { recursive: true })
  let name = base
  for (let i = 2; fs.existsSync(path.join(outDir, name)) || fs.existsSync(path.join(outDir, `${name}.partial`)); i++) name = `${base}-${i}`
  const partial = path.join(outDir, `${name}.partial`)
  const data = path.join(partial, DATA)
  fs.mkdirSync(data, { recursive: true })
  try {
    const manifest = await fill(data)
    fs.writeFileSync(path.join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + '\n')
    const dir = path.join(outDir, name)
    fs.renameSync(partial, dir)
    return { dir, manifest }
  } catch (e) {
    fs.rmSync(partial, { recursive: true, force: true })
    throw e
  }
}

/** The manifest of a snapshot folder; `wrongFormat` words the error for a snapshot of another kind. */
export function readSnapshotManifest<M extends { format: string }>(snapshot: string, format: M['format'], wrongFormat: (found: string) => string): M {
  const file = path.join(snapshot, MANIFEST)
  if (!fs.existsSync(file)) throw new Error(`${snapshot} is not a snapshot: no ${MANIFEST}`)
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as M
  if (m.format !== format) throw new Error(`${snapshot}: ${wrongFormat(String(m.format))}`)
  return m
}

/** Every file of the snapshot against its manifest: present, same size, same SHA-256, nothing extra. */
export function snapshotFileProblems(snapshot: string, manifest: { files: FileEntry[] }): string[] {
  const problems: string[] = []
  const data = path.join(snapshot, DATA)
  const listed = new Set<string>()
  for (const f of manifest.files) {
    listed.add(f.path)
    const file = path.join(data, f.path)
    if (f.path.split('/').includes('..') || path.isAbsolute(f.path)) {
      problems.push(`${f.path}: not a path inside the snapshot`)
      continue
    }
    if (!fs.existsSync(file)) {
      problems.push(`${f.path}: missing from the snapshot`)
      continue
    }
    const buf = fs.readFileSync(file)
    if (buf.length !== f.bytes) problems.push(`${f.path}: ${buf.length} bytes, manifest says ${f.bytes}`)
    else if (sha256(buf) !== f.sha256) problems.push(`${f.path}: SHA-256 differs from the manifest`)
  }
  for (const rel of walk(data)) if (!listed.has(rel)) problems.push(`${rel}: in the snapshot but not in the manifest`)
  return problems
}
