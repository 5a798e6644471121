import fs from 'node:fs'
import path from 'node:path'
import {
  CONFIG_SCHEMA,
  FUNCTION_NAMES,
  ISSUING_FUNCTIONS,
  deploymentProblems,
  functionKeys,
  loadConfig,
  type FunctionName,
} from '../../cloudfunctions/_core/config'
import { checkSubscribeData, invoiceFailedMessage, invoiceIssuedMessage, afterSalesUpdateMessage } from '../../cloudfunctions/_core/domain/subscribe'
import { buildCloudbaserc, generatedTexts, renderEnvExample } from '../../scripts/deploy/config-gen'
import { functionFolders, readFunctionConfig } from '../../scripts/deploy/functions'

const REPO = path.resolve(__dirname, '../..')

describe('one configuration schema', () => {
  it('.env.example and the index table in docs/deploy.md are what `npm run config:gen` writes', () => {
    for (const g of generatedTexts()) {
      const rel = path.relative(REPO, g.file)
      // on failure: run `npm run config:gen` after changing the schema, a config.json or WX_INDEXES
      expect({ file: rel, upToDate: fs.readFileSync(g.file, 'utf8') === g.content }).toEqual({ file: rel, upToDate: true })
    }
  })

  it('names every key once, each with a description, and secrets without a default', () => {
    const keys = CONFIG_SCHEMA.map((k) => k.key)
    expect(new Set(keys).size).toBe(keys.length)
    for (const k of CONFIG_SCHEMA) {
      expect(k.description.length).toBeGreaterThan(5)
      if (k.secret) expect(k.default).toBe('')
      if (k.scope !== 'cloud') expect(k.functions).toEqual([])
      // a default is itself valid, so an unset key never breaks loadConfig
      expect({ key: k.key, ok: k.default === '' || loadConfig({ [k.key]: k.default }) !== null }).toEqual({ key: k.key, ok: true })
    }
    const env = renderEnvExample()
    for (const k of CONFIG_SCHEMA.filter((x) => x.secret)) expect(env).toContain(`\n${k.key}=\n`)
  })

  it('knows every function there is, and cloudbaserc.json deploys each with its timeout, timer and only the keys it needs', () => {
    expect([...FUNCTION_NAMES].sort()).toEqual(functionFolders())
    const rc = JSON.parse(fs.readFileSync(path.join(REPO, 'cloudbaserc.json'), 'utf8'))
    expect(rc).toEqual(buildCloudbaserc())
    for (const f of rc.functions) {
      const cfg = readFunctionConfig(f.name as FunctionName)
      expect(f.timeout).toBe(cfg.timeout)
      expect(f.triggers ?? []).toEqual(cfg.triggers)
      expect(f.runtime).toBe('Nodejs18.15')
      // only placeholders: values (secrets above all) come from .env at deploy time
      for (const [key, value] of Object.entries(f.envVariables)) expect(value).toBe(`{{env.${key}}}`)
      expect(Object.keys(f.envVariables)).toEqual(functionKeys(f.name).map((k) => k.key))
    }
    const byName = Object.fromEntries(rc.functions.map((f: { name: string; envVariables: object }) => [f.name, Object.keys(f.envVariables)]))
    expect(byName.card).not.toContain('SMTP_PASS')
    expect(byName.payNotify).toEqual(expect.arrayContaining(['SMTP_PASS', 'NUONUO_APP_SECRET', 'SELLER_TAX_ID', 'INVOICE_PROVIDER']))
    expect(byName.reconcile).toEqual(expect.arrayContaining(['PAY_SUB_MCH_ID', 'RECONCILE_GRACE_SECONDS', 'SMTP_HOST']))
  })

  it('lets every function that sends subscribe messages do so (permissions.openapi), reconcile included', () => {
    for (const fn of ISSUING_FUNCTIONS) expect({ fn, openapi: readFunctionConfig(fn).openapi }).toEqual({ fn, openapi: ['subscribeMessage.send'] })
    // a timer or the pay callback runs for minutes at most: the platform's default 3 s is never enough
    for (const fn of FUNCTION_NAMES) expect(readFunctionConfig(fn).timeout).toBeGreaterThanOrEqual(10)
  })

  it('covers every environment key the code reads', () => {
    const read = new Set<string>()
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name)
        if (e.isDirectory()) walk(p)
        else if (/\.ts$/.test(e.name)) {
          const src = fs.readFileSync(p, 'utf8')
          for (const m of src.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]|'([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+)'(?=, \d)/g))
            read.add(m[1] ?? m[2] ?? m[3])
        }
      }
    }
    walk(path.join(REPO, 'cloudfunctions', '_core'))
    walk(path.join(REPO, 'scripts', 'local-cloud'))
    // set by WeChat cloud itself, not by us
    for (const platform of ['TCB_ENV', 'SCF_NAMESPACE']) read.delete(platform)
    const known = new Set(CONFIG_SCHEMA.map((k) => k.key))
    expect([...read].filter((k) => !known.has(k)).sort()).toEqual([])
  })

  it('rejects bad values with the key in the message', () => {
    expect(() => loadConfig({ TOPUP_MIN_FEN: 'ten' })).toThrow('config TOPUP_MIN_FEN must be an integer >= 1')
    expect(() => loadConfig({ INVOICE_PROVIDER: 'baiwang' })).toThrow('config INVOICE_PROVIDER must be sandbox or nuonuo')
    expect(() => loadConfig({ INVOICE_ALLOW_SANDBOX: 'maybe' })).toThrow('config INVOICE_ALLOW_SANDBOX must be true or false')
    expect(() => loadConfig({ NUONUO_BASE_URL: 'sdk.nuonuo.com' })).toThrow('config NUONUO_BASE_URL must be an http(s) URL')
    expect(() => loadConfig({ PROVIDER_SANDBOX_FAILURE_RATE: '1.5' })).toThrow('config PROVIDER_SANDBOX_FAILURE_RATE must be a number from 0 to 1')
    expect(() => loadConfig({ SMTP_PORT: '70000' })).toThrow('config SMTP_PORT')
    expect(() => loadConfig({ TOPUP_MIN_FEN: '6000', TOPUP_MAX_FEN: '5000' })).toThrow('TOPUP_MAX_FEN must be >= TOPUP_MIN_FEN')
    expect(() => loadConfig({ TOPUP_PRESETS_FEN: '500,2000' })).toThrow('TOPUP_PRESETS_FEN must lie within the limits')
    // deploy-only keys are not a function's concern
    expect(() => loadConfig({ WX_APP_ID: 'not-an-appid' })).not.toThrow()
  })

  it('gives the documented defaults, and derived ones (诺诺 tax number and clerk from the seller)', () => {
    const c = loadConfig({})
    expect(c.topup).toEqual({ presetsFen: [2000, 5000, 10000, 20000], minFen: 1000, maxFen: 50000, orderTtlMinutes: 30, maxCardsPerUser: 10 })
    expect(c.provider.kind).toBe('sandbox')
    expect(c.provider.allowSandboxInCloud).toBe(false)
    expect(c.provider.sandbox).toEqual({ latencyMs: 800, failureRate: 0, buyerDecision: 'wait' })
    expect(c.provider.nuonuo.userTaxNum).toBe('91420100MA4K0000XJ')
    expect(loadConfig({ SELLER_TAX_ID: '91420100MA4KABCD1X', INVOICE_ISSUER: '张三' }).provider.nuonuo).toMatchObject({
      userTaxNum: '91420100MA4KABCD1X',
      clerk: '张三',
    })
    expect(loadConfig({ INVOICE_ALLOW_SANDBOX: 'yes' }).provider.allowSandboxInCloud).toBe(true)
    expect(loadConfig({ SUBSCRIBE_TEMPLATE_INVOICE_ISSUED: ' abc-123 ' }).subscribe.templates.invoiceIssued).toBe('abc-123')
  })
})

describe('subscribe template keyword mapping', () => {
  it('takes the keywords of the template chosen in the console, and the messages then pass WeChat’s field rules', () => {
    const c = loadConfig({
      SUBSCRIBE_FIELDS_INVOICE_ISSUED: 'title=thing2, amount=amount7, invoiceNo=character_string1, issuedAt=time3, hint=thing9',
      SUBSCRIBE_FIELDS_INVOICE_FAILED: 'title=thing1,amount=amount2,status=phrase5,requestedAt=time4,reason=thing3',
      SUBSCRIBE_FIELDS_AFTERSALES_UPDATE: 'kind=thing3,status=phrase1,updatedAt=time2,text=thing4',
    })
    expect(c.subscribe.fields.invoiceIssued).toEqual({ title: 'thing2', amount: 'amount7', invoiceNo: 'character_string1', issuedAt: 'time3', hint: 'thing9' })
    const issued = invoiceIssuedMessage(
      { title: { name: '武汉某某科技有限公司' }, amountFen: 12345, invoiceNo: '26422000000000012345', issuedAt: '2026-11-28T04:30:00Z', email: null },
      c.subscribe.fields.invoiceIssued,
    )
    expect(Object.keys(issued).sort()).toEqual(['amount7', 'character_string1', 'thing2', 'thing9', 'time3'])
    expect(checkSubscribeData(issued)).toEqual({ ok: true })
    const failed = invoiceFailedMessage(
      { title: { name: '个人' }, amountFen: 5000, requestedAt: '2026-11-28T04:30:00Z', reason: null },
      c.subscribe.fields.invoiceFailed,
    )
    expect(checkSubscribeData(failed)).toEqual({ ok: true })
    expect(failed.phrase5).toEqual({ value: '重试中' })
    const update = afterSalesUpdateMessage(
      { kindLabel: '纸质发票邮寄', statusLabel: '已寄出', at: '2026-11-28T04:30:00Z', text: '顺丰 SF123' },
      c.subscribe.fields.afterSalesUpdate,
    )
    expect(checkSubscribeData(update)).toEqual({ ok: true })
    expect(Object.keys(update).sort()).toEqual(['phrase1', 'thing3', 'thing4', 'time2'])
  })

  it('refuses a mapping that would break a field limit, misses a field or uses a keyword twice', () => {
    const base = 'title=thing1,amount=amount2,invoiceNo=character_string3,issuedAt=time4,hint=thing5'
    const bad = (v: string) => () => loadConfig({ SUBSCRIBE_FIELDS_INVOICE_ISSUED: v })
    // a title of up to 20 characters cannot go into a phrase (5 汉字) or an amount
    expect(bad(base.replace('title=thing1', 'title=phrase1'))).toThrow('maps title to phrase1: it must be a thing keyword')
    expect(bad(base.replace('invoiceNo=character_string3', 'invoiceNo=thing3'))).toThrow('it must be a character_string keyword')
    expect(bad('title=thing1,amount=amount2,invoiceNo=character_string3,issuedAt=time4')).toThrow('misses hint')
    expect(bad(base.replace('hint=thing5', 'hint=thing1'))).toThrow('uses thing1 twice')
    expect(bad(base + ',colour=thing6')).toThrow('unknown field colour')
    expect(bad('thing1,amount2')).toThrow('role=keyword pairs')
  })
})

describe('readiness for WeChat cloud', () => {
  const READY = {
    PAY_SUB_MCH_ID: '1900000109',
    SELLER_NAME: '武汉城市一卡通有限公司',
    SELLER_TAX_ID: '91420100MA4KABCD1X',
    SELLER_ADDRESS: '武汉市江汉区新华路 1 号',
    SELLER_PHONE: '027-12345678',
    SELLER_BANK_NAME: '招商银行武汉分行',
    SELLER_BANK_ACCOUNT: '127900000000001',
    INVOICE_PROVIDER: 'nuonuo',
    NUONUO_APP_KEY: 'k',
    NUONUO_APP_SECRET: 's',
    NUONUO_ACCESS_TOKEN: 't',
    SMTP_HOST: 'smtp.exmail.qq.com',
    SUBSCRIBE_TEMPLATE_INVOICE_ISSUED: 'a',
    SUBSCRIBE_TEMPLATE_INVOICE_FAILED: 'b',
    SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE: 'c',
    SUBSCRIBE_TEMPLATE_INVOICE_REMINDER: 'd',
    INVOICE_FALLBACK_FONT_FILE_IDS: 'cloud://prod-1a2b3c.7072-prod/fonts/NotoSansSC-Regular.ttf,cloud://prod-1a2b3c.7072-prod/fonts/HanaMinB.ttf',
  }
  const errors = (env: Record<string, string>, fn: FunctionName) =>
    deploymentProblems(env, fn)
      .filter((p) => p.level === 'error')
      .map((p) => p.key)

  it('finds nothing wrong with a complete configuration, in any function', () => {
    for (const fn of FUNCTION_NAMES) expect(deploymentProblems(READY, fn)).toEqual([])
  })

  it('flags the example seller data and missing mail, only in the functions that issue', () => {
    expect(errors({}, 'invoice')).toEqual(expect.arrayContaining(['SELLER_TAX_ID', 'SELLER_BANK_ACCOUNT', 'SELLER_NAME', 'SMTP_HOST', 'INVOICE_PROVIDER']))
    expect(errors({}, 'card')).toEqual([])
    expect(errors({}, 'topup')).toEqual(['PAY_SUB_MCH_ID'])
    for (const fn of ISSUING_FUNCTIONS) expect(errors({ ...READY, SELLER_PHONE: '027-85000000' }, fn)).toEqual(['SELLER_PHONE'])
  })

  it('asks for the sandbox to be allowed explicitly, and for 诺诺 credentials', () => {
    expect(errors({ ...READY, INVOICE_PROVIDER: 'sandbox' }, 'invoiceWorker')).toEqual(['INVOICE_PROVIDER'])
    expect(errors({ ...READY, INVOICE_PROVIDER: 'sandbox', INVOICE_ALLOW_SANDBOX: 'true' }, 'invoiceWorker')).toEqual([])
    expect(errors({ ...READY, NUONUO_ACCESS_TOKEN: '' }, 'invoice')).toEqual(['NUONUO_ACCESS_TOKEN'])
    expect(errors({ ...READY, SMTP_USER: 'u' }, 'invoice')).toEqual(['SMTP_PASS'])
  })

  it('warns, without refusing, when a subscribe template is not configured', () => {
    const problems = deploymentProblems({ ...READY, SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE: '' }, 'profile')
    expect(problems).toEqual([expect.objectContaining({ key: 'SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE', level: 'warning' })])
  })
})
