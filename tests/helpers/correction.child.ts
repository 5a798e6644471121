/**
 * One process of the kill -9 test of 换开 (tests/integration/correction-kill.test.ts): opens the
 * local cloud's data folder as a real function would (SQLite files, storage, the provider
 * sandbox), asks for the correction (same clientToken each time: a retry after a crash) and
 * drives it to its end. Says "go" just before it starts; the test kills it at a random moment.
 */
import { advanceCorrection, requestCorrection } from '../../cloudfunctions/_core/app/correction.service'
import { runInvoiceWorker } from '../../cloudfunctions/_core/app/invoice.service'
import { jsonLogger } from '../../cloudfunctions/_core/runtime/logger'
import { createLocalRuntime } from '../../cloudfunctions/_core/wiring/local'

const [dataDir, openid, invoiceId, titleJson, clientToken, smtpPort] = process.argv.slice(2)
const runtime = createLocalRuntime({
  dataDir,
  env: { PROVIDER_SANDBOX_LATENCY_MS: '0', INVOICE_INLINE_WAIT_MS: '0' },
  baseUrl: () => 'http://127.0.0.1:1',
  now: () => new Date(),
  deliverPayCallback: async () => ({ errcode: 0 }),
  log: jsonLogger(() => undefined),
  smtp: { host: '127.0.0.1', port: Number(smtpPort) },
})

async function main() {
  process.stdout.write('go\n')
  const c = await requestCorrection(runtime.deps, {
    openid,
    invoiceId,
    newTitle: JSON.parse(titleJson),
    email: null,
    buyerBooked: false,
    clientToken,
    by: 'user',
  })
  for (let i = 0; i < 200; i++) {
    const v = await advanceCorrection(runtime.deps, c.id, 200)
    if (v.status === 'done') {
      process.stdout.write(`done ${v.id}\n`)
      runtime.close()
      return
    }
    // what a timer run would do meanwhile (red or new invoice waiting on the provider)
    await runInvoiceWorker(runtime.deps)
  }
  throw new Error('correction did not finish')
}
main().catch((e) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e))
  process.exit(2)
})
