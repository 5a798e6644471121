/**
 * One process of the kill -9 test of batch invoicing (tests/integration/batch-kill.test.ts):
 * opens the local cloud's data folder as the `batch` function would (SQLite, storage, the provider
 * sandbox, mail to the capture server) and runs the job until it is done, then lets the invoice
 * worker finish what is still issuing. Says "go" just before it starts; the test kills it at a
 * random moment. Its clock runs `offsetMs` ahead, as a run one lease later would see it: the lease
 * a killed run held has run out.
 */
import { runBatchJob } from '../../cloudfunctions/_core/app/batch.service'
import { runInvoiceWorker } from '../../cloudfunctions/_core/app/invoice.service'
import { jsonLogger } from '../../cloudfunctions/_core/runtime/logger'
import { createLocalRuntime } from '../../cloudfunctions/_core/wiring/local'

const [dataDir, jobId, smtpPort, offsetMs] = process.argv.slice(2)
const runtime = createLocalRuntime({
  dataDir,
  env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_INLINE_WAIT_MS: '0', BATCH_CHUNK_INVOICES: '2', BATCH_RUN_BUDGET_MS: '1000' },
  baseUrl: () => 'http://127.0.0.1:1',
  now: () => new Date(Date.now() + Number(offsetMs)),
  deliverPayCallback: async () => ({ errcode: 0 }),
  log: jsonLogger(() => undefined),
  smtp: { host: '127.0.0.1', port: Number(smtpPort) },
})
// no function host here: a run's start of the next run is refused and this loop goes on instead
runtime.invoker.mode = 'refuse'

async function main() {
  process.stdout.write('go\n')
  for (let i = 0; i < 500; i++) {
    const r = await runBatchJob(runtime.deps, jobId)
    if (r.status !== 'running') {
      for (let k = 0; k < 20; k++) {
        const w = await runInvoiceWorker(runtime.deps)
        if (w.advanced === 0 && w.mailsSent === 0) break
      }
      process.stdout.write(`done ${r.status}\n`)
      runtime.close()
      return
    }
  }
  throw new Error('batch did not finish')
}
main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e))
  process.exit(2)
})
