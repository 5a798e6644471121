import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { readAuditChain } from '../../cloudfunctions/_core/adapters/local/sqlite.staff.repo'
import { auditHash } from '../../cloudfunctions/_core/app/staff.service'
import { verifyChain } from '../../cloudfunctions/_core/domain/audit'
import { runStaffCli } from '../staff-cli/cli'

/**
 * npm run audit:verify [-- --data DIR]
 * npm run audit:verify -- --cloud [--operator NAME]
 *
 * Locally: walks the local cloud's audit chain (staff_audit in DIR/cloud.db, opened read-only)
 * and reports every record found edited, removed, reordered or slipped in, by its position.
 * --cloud: the staff function's auditVerify in the WeChat-cloud environment, through the staff
 * CLI's door (node-sdk callFunction, credentials from env), so the admin check and the log
 * apply there. Exit codes: 0 the chain is whole, 1 a problem (or no database, or the call failed).
 */
const root = path.resolve(__dirname, '../..')

function main(): number | Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { data: { type: 'string' }, cloud: { type: 'boolean' }, operator: { type: 'string' } },
  })
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'))
  if (values.cloud) {
    return runStaffCli(['audit:verify', '--cloud', ...(values.operator ? ['--operator', values.operator] : [])], {
      env: process.env,
      out: (s) => process.stdout.write(s + '\n'),
      err: (s) => process.stderr.write(s + '\n'),
    })
  }
  const dataDir = path.resolve(values.data ?? path.resolve(root, process.env.LOCAL_CLOUD_DATA_DIR ?? '.data'))
  const file = path.join(dataDir, 'cloud.db')
  if (!fs.existsSync(file)) {
    process.stderr.write(`no database at ${file}\n`)
    return 1
  }
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const records = readAuditChain(db)
    const v = verifyChain(records, auditHash)
    const head = records[records.length - 1]
    process.stdout.write(`audit chain: ${file}\nrecords: ${v.checked}${head ? `, head ${head.id} ${head.hash}` : ''}\n`)
    for (const p of v.problems) process.stdout.write(`BROKEN at position ${p.position} (seq ${p.seq}, ${p.id}): ${p.kind}: ${p.detail}\n`)
    process.stdout.write(v.ok ? 'OK: every record matches its hash and links to the one before\n' : `FAILED: ${v.problems.length} problem(s)\n`)
    return v.ok ? 0 : 1
  } finally {
    db.close()
  }
}

Promise.resolve()
  .then(main)
  .then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
      process.exitCode = 1
    },
  )
