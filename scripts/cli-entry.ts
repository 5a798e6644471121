import fs from 'node:fs'
import path from 'node:path'

/** What a command-line tool of scripts/ is given: its environment and where it writes. */
export interface ProcessIo {
  env: NodeJS.ProcessEnv
  out: (s: string) => void
  err: (s: string) => void
}

/**
 * Runs a command-line tool of scripts/ as a process: reads the project's .env when there is one,
 * hands the tool its arguments, and exits with the tool's code (1, with the stack, if it throws).
 */
export function runAsProcess(run: (args: string[], io: ProcessIo) => Promise<number>): void {
  const envFile = path.resolve(__dirname, '../.env')
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile)
  run(process.argv.slice(2), {
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
}
