import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'

/**
 * `npm run bench:cold`: cold starts of the deployed bundles (what `npm run build:functions`
 * made), each in fresh `node` processes, printed as `name: value` lines like bench/run.ts:
 *
 *   require_ms_<function>      require of cloudfunctions/<function>/index.js in a fresh process
 *                              (median of BENCH_COLD_RUNS, default 7; target <= 100 each)
 *   require_ms_max             the slowest function's median
 *   cold_first_invoice_ms      a fresh process: require the invoice bundle + its first invoice
 *                              request, issued inline (provider sandbox, PDF + XML rendered with
 *                              the shipped font subset, stored in the fake storage, e-mailed over
 *                              loopback SMTP); median of the runs (target <= 300)
 *   cold_first_invoice_cpu_ms  the CPU that process spent on it (less sensitive to other load)
 *   cold_require_invoice_ms    the require part of it
 *   warm_invoice_ms            the second invoice of the same process: what the cold one adds
 *   deploy_kb_<function>       what deploys for an issuing function (index.js + lib/ + fonts/;
 *                              target <= 2048)
 *
 * wx-server-sdk is answered by the in-memory fake of its interface (tests/fakes/wx-cloud.fake.ts;
 * the bundles require the real SDK only on the first call, so require_ms never includes it).
 *
 *   npx tsx bench/cold.bench.ts [root]   # root: another checkout's built bundles (before/after)
 */
const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'))
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7)
const out = (name: string, value: number, digits = 1) => process.stdout.write(`${name}: ${value.toFixed(digits)}\n`)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const fnRoot = path.join(root, 'cloudfunctions')
const functions = fs
  .readdirSync(fnRoot)
  .filter((n) => fs.existsSync(path.join(fnRoot, n, 'index.js')))
  .sort()
if (!functions.length) throw new Error(`no built bundles under ${fnRoot}: run npm run build:functions`)

function requireMs(file: string): number {
  const code = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
  if (r.status !== 0) throw new Error(`require ${file} failed: ${r.stderr}`)
  return Number(r.stdout)
}

function deployedBytes(dir: string): number {
  let total = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'src' || e.name === 'node_modules') continue
    const p = path.join(dir, e.name)
    total += e.isDirectory() ? deployedBytes(p) : fs.statSync(p).size
  }
  return total
}

async function main() {
  // runs interleaved across functions, so a burst of load elsewhere on the machine hits all alike
  const times: Record<string, number[]> = Object.fromEntries(functions.map((f) => [f, []]))
  for (let i = 0; i < RUNS; i++) for (const f of functions) times[f].push(requireMs(path.join(fnRoot, f, 'index.js')))
  let max = 0
  for (const f of functions) {
    const m = median(times[f])
    max = Math.max(max, m)
    out(`require_ms_${f}`, m)
  }
  out('require_ms_max', max)

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-bench-cold-'))
  const child = path.join(dir, 'cold-invoice.js')
  await build({
    entryPoints: [path.join(__dirname, 'cold-invoice.child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    logLevel: 'error',
  })
  const runs: { coldMs: number; warmMs: number; requireMs: number; coldCpuMs: number }[] = []
  for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 2)); i++) {
    const r = spawnSync(process.execPath, [child, root], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } })
    const line = r.stdout
      .split('\n')
      .reverse()
      .find((l) => l.startsWith('{"coldMs"'))
    if (r.status !== 0 || !line) throw new Error(`cold invoice run failed (${r.status}): ${r.stderr.slice(-2000)}`)
    runs.push(JSON.parse(line))
  }
  fs.rmSync(dir, { recursive: true, force: true })
  out('cold_first_invoice_ms', median(runs.map((r) => r.coldMs)))
  out('cold_first_invoice_cpu_ms', median(runs.map((r) => r.coldCpuMs)))
  out('cold_require_invoice_ms', median(runs.map((r) => r.requireMs)))
  out('warm_invoice_ms', median(runs.map((r) => r.warmMs)))
  for (const f of functions) {
    const dirOf = path.join(fnRoot, f)
    if (fs.existsSync(path.join(dirOf, 'fonts'))) out(`deploy_kb_${f}`, deployedBytes(dirOf) / 1024)
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
