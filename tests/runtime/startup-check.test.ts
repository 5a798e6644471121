import { FUNCTION_NAMES, loadConfig } from '../../cloudfunctions/_core/config'
import { configProblems, problemViews, providerProblems, startupCheck, verdictLine } from '../../cloudfunctions/_core/runtime/startup-check'

/** A complete WeChat-cloud environment issuing through 诺诺 (real-looking, not the examples). */
export const GOOD_ENV: Record<string, string> = {
  PAY_SUB_MCH_ID: '1900000109',
  CLOUD_ENV_ID: 'prod-1',
  SELLER_NAME: '武汉城市一卡通有限公司',
  SELLER_TAX_ID: '91420100177682811E',
  SELLER_ADDRESS: '武汉市江岸区沿江大道 100 号',
  SELLER_PHONE: '027-85551234',
  SELLER_BANK_NAME: '招商银行武汉分行营业部',
  SELLER_BANK_ACCOUNT: '127900012310001',
  SMTP_HOST: 'smtp.example.com',
  SMTP_USER: 'invoice@example.com',
  SMTP_PASS: 'app-password',
  INVOICE_PROVIDER: 'nuonuo',
  NUONUO_APP_KEY: 'SD63236305',
  NUONUO_APP_SECRET: 'SDDED2523BED4643',
  NUONUO_ACCESS_TOKEN: 'token-of-the-seller',
  SUBSCRIBE_TEMPLATE_INVOICE_ISSUED: 'tpl-issued',
  SUBSCRIBE_TEMPLATE_INVOICE_FAILED: 'tpl-failed',
  SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE: 'tpl-aftersales',
  SUBSCRIBE_TEMPLATE_INVOICE_REMINDER: 'tpl-reminder',
  INVOICE_FALLBACK_FONT_FILE_IDS: 'cloud://prod-1a2b3c.7072-prod/fonts/NotoSansSC-Regular.ttf,cloud://prod-1a2b3c.7072-prod/fonts/HanaMinB.ttf',
}

const errorsOf = (env: Record<string, string | undefined>, fn: (typeof FUNCTION_NAMES)[number] = 'invoice') => startupCheck(env, fn).errors.map((p) => p.key)

describe('startup check (what keeps a function from running in WeChat cloud)', () => {
  it('lets every function start with a complete 诺诺 configuration', () => {
    for (const fn of FUNCTION_NAMES) expect(startupCheck(GOOD_ENV, fn)).toEqual({ fn, errors: [], warnings: [] })
  })

  it('refuses the placeholder seller of the defaults: tax ID, bank account, phone, address', () => {
    const placeholders = loadConfig({}).invoice.seller
    for (const [key, value] of [
      ['SELLER_TAX_ID', placeholders.taxId],
      ['SELLER_BANK_ACCOUNT', placeholders.bankAccount],
      ['SELLER_PHONE', placeholders.phone],
      ['SELLER_ADDRESS', placeholders.address],
    ]) {
      expect(errorsOf({ ...GOOD_ENV, [key]: value })).toContain(key)
      expect(errorsOf({ ...GOOD_ENV, [key]: '' })).toContain(key) // unset = the default
    }
    // a function that never issues does not care about the seller
    expect(errorsOf({ ...GOOD_ENV, SELLER_TAX_ID: placeholders.taxId }, 'card')).toEqual([])
  })

  it('refuses 诺诺 without its keys', () => {
    for (const key of ['NUONUO_APP_KEY', 'NUONUO_APP_SECRET', 'NUONUO_ACCESS_TOKEN']) expect(errorsOf({ ...GOOD_ENV, [key]: '' })).toContain(key)
  })

  it('refuses the sandbox unless explicitly allowed, and then warns that documents are samples', () => {
    const sandbox = { ...GOOD_ENV, INVOICE_PROVIDER: 'sandbox' }
    expect(errorsOf(sandbox)).toEqual(['INVOICE_PROVIDER'])
    const allowed = startupCheck({ ...sandbox, INVOICE_ALLOW_SANDBOX: 'true' }, 'invoiceWorker')
    expect(allowed.errors).toEqual([])
    expect(allowed.warnings).toEqual([expect.objectContaining({ key: 'INVOICE_PROVIDER', message: expect.stringContaining('测试样张') })])
  })

  it('refuses 诺诺 over plain http and a token of another tax number; warns on a failing checksum', () => {
    expect(errorsOf({ ...GOOD_ENV, NUONUO_BASE_URL: 'http://127.0.0.1:9999/open/v1/services' })).toEqual(['NUONUO_BASE_URL'])
    expect(errorsOf({ ...GOOD_ENV, NUONUO_USER_TAX_NUM: '91420100MA4K0002XL' })).toEqual(['NUONUO_USER_TAX_NUM'])
    expect(errorsOf({ ...GOOD_ENV, NUONUO_USER_TAX_NUM: GOOD_ENV.SELLER_TAX_ID })).toEqual([])
    expect(providerProblems({ ...GOOD_ENV, SELLER_TAX_ID: '91420100177682811A' }, 'invoice')).toEqual([
      expect.objectContaining({ key: 'SELLER_TAX_ID', level: 'warning' }),
    ])
    expect(providerProblems({ ...GOOD_ENV, NUONUO_BASE_URL: 'http://x/open/v1/services' }, 'topup')).toEqual([])
  })

  it('says everything in one line, naming keys and never their values', () => {
    const v = startupCheck({ ...GOOD_ENV, NUONUO_APP_SECRET: '', SELLER_BANK_ACCOUNT: '3202000000000000000' }, 'invoice')
    const line = verdictLine(v)
    expect(line).toMatch(/^invoice refuses to start: /)
    expect(line).toContain('NUONUO_APP_SECRET')
    expect(line).toContain('SELLER_BANK_ACCOUNT')
    expect(line).not.toContain(GOOD_ENV.NUONUO_ACCESS_TOKEN)
    expect(line.split('\n')).toHaveLength(1)
  })

  it('answers an unreadable configuration as a problem, not a crash', () => {
    expect(errorsOf({ ...GOOD_ENV, TOPUP_MIN_FEN: 'ten' }, 'topup').length).toBeGreaterThan(0)
  })
})

describe('the problems staff see with the queues (configProblems, problemViews)', () => {
  it('is empty for a complete configuration', () => {
    expect(configProblems(GOOD_ENV, 'staff')).toEqual([])
  })

  it('maps every problem of the staff function: the key, the level, the reason; errors first', () => {
    const env = {
      ...GOOD_ENV,
      SELLER_TAX_ID: loadConfig({}).invoice.seller.taxId, // the example seller
      NUONUO_APP_SECRET: '', // 诺诺 without its secret
      NUONUO_BASE_URL: 'http://127.0.0.1:9999/open/v1/services',
      SUBSCRIBE_TEMPLATE_INVOICE_FAILED: '',
    }
    const problems = configProblems(env, 'staff')
    expect(problems).toEqual([
      { key: 'SELLER_TAX_ID', level: 'error', message: expect.stringContaining('example value') },
      { key: 'NUONUO_APP_SECRET', level: 'error', message: expect.stringContaining('INVOICE_PROVIDER=nuonuo') },
      { key: 'NUONUO_BASE_URL', level: 'error', message: expect.stringContaining('https') },
      { key: 'SUBSCRIBE_TEMPLATE_INVOICE_FAILED', level: 'warning', message: expect.stringContaining('never sent') },
    ])
    // the same rule as the container's startup check: the same problems, one by one
    const v = startupCheck(env, 'staff')
    expect(problems.map((p) => `${p.level}|${p.key}|${p.message}`)).toEqual([...v.errors, ...v.warnings].map((p) => `${p.level}|${p.key}|${p.message}`))
    // and never a value: not the secrets, not the token, not the values that are wrong
    const text = JSON.stringify(problems)
    for (const value of [GOOD_ENV.NUONUO_APP_KEY, GOOD_ENV.NUONUO_ACCESS_TOKEN, GOOD_ENV.SMTP_PASS, env.NUONUO_BASE_URL, env.SELLER_TAX_ID]) {
      expect(text).not.toContain(value)
    }
  })

  it('shows the sandbox allowance as a warning only, and judges only the keys staff carries', () => {
    expect(configProblems({ ...GOOD_ENV, INVOICE_PROVIDER: 'sandbox', INVOICE_ALLOW_SANDBOX: 'true' }, 'staff')).toEqual([
      { key: 'INVOICE_PROVIDER', level: 'warning', message: expect.stringContaining('测试样张') },
    ])
    expect(configProblems({ ...GOOD_ENV, INVOICE_PROVIDER: 'sandbox' }, 'staff')).toEqual([
      { key: 'INVOICE_PROVIDER', level: 'error', message: expect.stringContaining('INVOICE_ALLOW_SANDBOX') },
    ])
    // PAY_SUB_MCH_ID is topup's and reconcile's, not staff's
    expect(configProblems({ ...GOOD_ENV, PAY_SUB_MCH_ID: '' }, 'staff')).toEqual([])
    expect(configProblems({ ...GOOD_ENV, PAY_SUB_MCH_ID: '' }, 'topup').map((p) => p.key)).toEqual(['PAY_SUB_MCH_ID'])
  })

  it('leaves an empty key out and masks a secret value should a message ever quote one', () => {
    const views = problemViews(
      {
        fn: 'staff',
        errors: [{ key: '', level: 'error', message: 'configuration unreadable: boom' }],
        warnings: [
          { key: 'SMTP_PASS', level: 'warning', message: `SMTP_PASS looks odd: ${GOOD_ENV.SMTP_PASS}, NUONUO_APP_SECRET ${GOOD_ENV.NUONUO_APP_SECRET}` },
        ],
      },
      GOOD_ENV,
    )
    expect(views).toEqual([
      { level: 'error', message: 'configuration unreadable: boom' },
      { key: 'SMTP_PASS', level: 'warning', message: 'SMTP_PASS looks odd: ***, NUONUO_APP_SECRET ***' },
    ])
  })
})
