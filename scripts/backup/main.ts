import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { backupLocal, pruneSnapshots, restoreLocal, verifySnapshot } from './local-snapshot'

/**
 * npm run backup [-- --data DIR] [--out DIR] [--keep N]
 * npm run restore -- SNAPSHOT [--data DIR]
 * npm run backup:verify -- SNAPSHOT
 *
 * The local cloud's data dir (LOCAL_CLOUD_DATA_DIR, default .data); snapshots under .backups/.
 * Exit codes: 0 done, 1 refused or failed, 2 backup written but the live data had problems
 * (listed; the snapshot is kept, because a backup of damaged data beats none).
 */
const root = path.resolve(__dirname, '../..')

function usage(): never {
  process.stderr.write(
    'usage:\n  backup [--data DIR] [--out DIR] [--keep N]\n  restore SNAPSHOT [--data DIR]\n  verify SNAPSHOT\n(npm run backup / restore / backup:verify)\n',
  )
  process.exit(1)
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2)
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { data: { type: 'string' }, out: { type: 'string' }, keep: { type: 'string' } },
  })
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'))
  const dataDir = path.resolve(values.data ?? path.resolve(root, process.env.LOCAL_CLOUD_DATA_DIR ?? '.data'))
  const out = (s: string) => process.stdout.write(s + '\n')

  if (command === 'backup') {
    const outDir = path.resolve(values.out ?? path.join(root, '.backups'))
    const { dir, manifest } = await backupLocal(dataDir, outDir)
    const m = manifest.money
    out(`snapshot: ${dir}`)
    out(`files: ${manifest.files.length} (${manifest.databases.map((d) => d.file).join(', ')} + ${manifest.files.length - manifest.databases.length} storage)`)
    out(`paid orders: ${m.paidOrders.count} / ${(m.paidOrders.fen / 100).toFixed(2)} 元`)
    out(
      `blue invoices: ${m.blueInvoices.count} / ${(m.blueInvoices.fen / 100).toFixed(2)} 元; red: ${m.redInvoices.count} / ${(m.redInvoices.fen / 100).toFixed(2)} 元`,
    )
    if (values.keep !== undefined) {
      const keep = Number(values.keep)
      if (!Number.isInteger(keep) || keep < 1) usage()
      for (const d of pruneSnapshots(outDir, keep)) out(`removed old snapshot: ${d}`)
    }
    if (manifest.problems.length) {
      process.stderr.write(`the live data has problems (kept in the manifest):\n  ${manifest.problems.join('\n  ')}\n`)
      return 2
    }
    return 0
  }
  if (command === 'restore') {
    if (positionals.length !== 1) usage()
    const { files } = restoreLocal(path.resolve(positionals[0]), dataDir)
    out(`restored ${files} files into ${dataDir}; start the local cloud on it (npm run dev) and run npm run backup:verify on the snapshot if not done yet`)
    return 0
  }
  if (command === 'verify') {
    if (positionals.length !== 1) usage()
    const r = verifySnapshot(path.resolve(positionals[0]))
    if (r.ok) {
      out(
        `verified: ${r.files} files restored, ${r.tables} table counts, ${r.invoiceFilesChecked} invoice files match their recorded SHA-256, money sums match`,
      )
      return 0
    }
    process.stderr.write(`VERIFY FAILED:\n  ${r.problems.join('\n  ')}\n`)
    return 1
  }
  return usage()
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  },
)
