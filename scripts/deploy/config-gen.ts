import fs from 'node:fs'
import path from 'node:path'
import { indexTableMarkdown } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { CONFIG_SCHEMA, FUNCTION_NAMES, ISSUING_FUNCTIONS, functionKeys, type ConfigKey } from '../../cloudfunctions/_core/config'
import { MEMORY_MB, ROOT, RUNTIME, readFunctionConfig, type Trigger } from './functions'

/**
 * `npm run config:gen`: writes the files derived from the configuration schema
 * (cloudfunctions/_core/config.ts) and the function folders:
 *   - .env.example, every key once with its default and description (secrets without a value);
 *   - cloudbaserc.json, every function with runtime, timeout, memory, trigger and exactly the env
 *     vars it needs as {{env.KEY}} placeholders (the CloudBase CLI fills them from .env; our own
 *     deploy resolves them the same way, with the schema's defaults for unset keys);
 *   - the index table in docs/deploy.md, from WX_INDEXES.
 * `npm run config:gen -- --check` only compares and fails on drift (tests/deploy/config-schema.test.ts
 * does the same in the test run).
 */

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x))

function functionsLabel(fns: readonly string[]): string {
  if (same(fns, FUNCTION_NAMES)) return 'all functions'
  if (same(fns, ISSUING_FUNCTIONS)) return 'the issuing functions'
  if (same(fns, ['profile', ...ISSUING_FUNCTIONS])) return 'profile and the issuing functions'
  return fns.join(', ')
}

export function renderEnvExample(schema: readonly ConfigKey[] = CONFIG_SCHEMA): string {
  const lines = [
    '# Generated from the configuration schema (cloudfunctions/_core/config.ts) by `npm run config:gen`:',
    '# edit the schema, not this file. Copy to .env: the local cloud reads it, and `npm run deploy`',
    "# sends every key a function needs as that function's environment variables (cloudbaserc.json).",
    '# An unset or empty key takes the default shown here. Secrets are never given a value here.',
    `# [who]: the functions that carry the key; the issuing functions are ${ISSUING_FUNCTIONS.join(', ')}.`,
  ]
  let current = ''
  for (const k of schema) {
    if (k.section !== current) {
      current = k.section
      lines.push('', `# --- ${current} ---`)
    }
    const who = k.scope === 'cloud' ? functionsLabel(k.functions) : k.scope === 'local' ? 'local cloud' : 'deploy'
    const flags = [k.secret ? 'secret' : '', k.required ? 'required in WeChat cloud' : '', k.placeholder ? 'example value: replace' : ''].filter(Boolean)
    lines.push(`# ${k.description} [${who}${flags.length ? '; ' + flags.join('; ') : ''}]`)
    lines.push(`${k.key}=${k.secret ? '' : k.default}`)
  }
  return lines.join('\n') + '\n'
}

export interface CloudbaseFunction {
  name: string
  runtime: string
  handler: string
  timeout: number
  memorySize: number
  installDependency: boolean
  ignore: string[]
  envVariables: Record<string, string>
  triggers?: Trigger[]
}

export interface Cloudbaserc {
  version: '2.0'
  envId: string
  functionRoot: string
  functions: CloudbaseFunction[]
}

export const placeholder = (key: string) => `{{env.${key}}}`

export function buildCloudbaserc(): Cloudbaserc {
  return {
    version: '2.0',
    envId: placeholder('CLOUD_ENV_ID'),
    functionRoot: './cloudfunctions',
    functions: FUNCTION_NAMES.map((name) => {
      const cfg = readFunctionConfig(name)
      return {
        name,
        runtime: RUNTIME,
        handler: 'index.main',
        timeout: cfg.timeout,
        memorySize: MEMORY_MB[name],
        // wx-server-sdk is installed in the cloud from the function's package.json
        installDependency: true,
        // the bundle (index.js), config.json, package.json, fonts/ and lib/ are uploaded; sources are not
        ignore: ['src', 'node_modules'],
        envVariables: Object.fromEntries(functionKeys(name).map((k) => [k.key, placeholder(k.key)])),
        ...(cfg.triggers.length ? { triggers: cfg.triggers } : {}),
      }
    }),
  }
}

/** cloudbaserc.json as Prettier would leave it (loaded here only: it is an ES module inside). */
export async function renderCloudbaserc(): Promise<string> {
  const { format } = await import('prettier')
  return format(JSON.stringify(buildCloudbaserc(), null, 2), { parser: 'json', filepath: path.join(ROOT, 'cloudbaserc.json') })
}

export const INDEX_TABLE_BEGIN = '<!-- generated: index table (npm run config:gen) -->'
export const INDEX_TABLE_END = '<!-- end of generated index table -->'

/** docs/deploy.md with its index table replaced by the one generated from WX_INDEXES. */
export function withIndexTable(doc: string): string {
  const begin = doc.indexOf(INDEX_TABLE_BEGIN)
  const end = doc.indexOf(INDEX_TABLE_END)
  if (begin < 0 || end < begin) throw new Error('docs/deploy.md lacks the index table markers')
  return doc.slice(0, begin + INDEX_TABLE_BEGIN.length) + '\n\n' + indexTableMarkdown() + '\n\n' + doc.slice(end)
}

export interface GeneratedFile {
  file: string
  content: string
}

/** The generated text files (cloudbaserc.json apart: it needs Prettier, and tests compare it as JSON). */
export function generatedTexts(): GeneratedFile[] {
  const doc = path.join(ROOT, 'docs', 'deploy.md')
  return [
    { file: path.join(ROOT, '.env.example'), content: renderEnvExample() },
    { file: doc, content: withIndexTable(fs.readFileSync(doc, 'utf8')) },
  ]
}

export async function generatedFiles(): Promise<GeneratedFile[]> {
  return [...generatedTexts(), { file: path.join(ROOT, 'cloudbaserc.json'), content: await renderCloudbaserc() }]
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check')
  const stale: string[] = []
  for (const g of await generatedFiles()) {
    const now = fs.existsSync(g.file) ? fs.readFileSync(g.file, 'utf8') : null
    if (now === g.content) continue
    stale.push(path.relative(ROOT, g.file))
    if (!check) fs.writeFileSync(g.file, g.content)
  }
  if (check && stale.length) {
    process.stderr.write(`out of date (run npm run config:gen): ${stale.join(', ')}\n`)
    process.exit(1)
  }
  process.stdout.write(stale.length ? `${check ? 'stale' : 'written'}: ${stale.join(', ')}\n` : 'up to date\n')
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  })
}
