import fs from 'node:fs'
import path from 'node:path'
import { runBackupCli } from './cli'

/** npm run backup / restore / backup:verify [-- ...]: see cli.ts. */
const envFile = path.resolve(__dirname, '../../.env')
if (fs.existsSync(envFile)) process.loadEnvFile(envFile)

runBackupCli(process.argv.slice(2), {
  env: process.env,
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
}).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exit(1)
  },
)
