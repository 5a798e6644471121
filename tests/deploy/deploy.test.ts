import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { WX_COLLECTIONS, WX_INDEXES } from '../../cloudfunctions/_core/adapters/wx/wx.indexes'
import { FUNCTION_NAMES } from '../../cloudfunctions/_core/config'
import { run } from '../../scripts/deploy/main'
import { FakeManager } from './manager.fake'

/**
 * `npm run deploy`, `deploy:dry` and `deploy:check` end to end, against an in-memory stand-in of
 * @cloudbase/manager-node, from a copy of the repository's own deploy files (cloudbaserc.json,
 * deploy/*.rules.json, each function's config.json) with stand-in bundles.
 */
const REPO = path.resolve(__dirname, '../..')
const ENV_ID = 'wuhantong-prod-1a2b'

/** A configuration ready for production. */
const READY: Record<string, string> = {
  CLOUD_ENV_ID: ENV_ID,
  WX_APP_ID: 'wx0123456789abcdef',
  PAY_SUB_MCH_ID: '1900000109',
  SELLER_NAME: '武汉城市一卡通有限公司',
  SELLER_TAX_ID: '91420100MA4KABCD1X',
  SELLER_ADDRESS: '武汉市江汉区新华路 1 号',
  SELLER_PHONE: '027-12345678',
  SELLER_BANK_NAME: '招商银行武汉分行',
  SELLER_BANK_ACCOUNT: '127900000000001',
  INVOICE_PROVIDER: 'nuonuo',
  NUONUO_APP_KEY: 'app-key-1',
  NUONUO_APP_SECRET: 'nuonuo-secret-value',
  NUONUO_ACCESS_TOKEN: 'nuonuo-token-value',
  SMTP_HOST: 'smtp.exmail.qq.com',
  SMTP_USER: 'invoice@wuhantong.cn',
  SMTP_PASS: 'smtp-secret-value',
  MAIL_FROM: '武汉通电子发票 <invoice@wuhantong.cn>',
  SUBSCRIBE_TEMPLATE_INVOICE_ISSUED: 'tmplIssued0123456789',
  SUBSCRIBE_TEMPLATE_INVOICE_FAILED: 'tmplFailed0123456789',
  SUBSCRIBE_TEMPLATE_AFTERSALES_UPDATE: 'tmplAfterSales012345',
  SUBSCRIBE_TEMPLATE_INVOICE_REMINDER: 'tmplReminder01234567',
}

let root: string

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-deploy-'))
  fs.copyFileSync(path.join(REPO, 'cloudbaserc.json'), path.join(root, 'cloudbaserc.json'))
  fs.cpSync(path.join(REPO, 'deploy'), path.join(root, 'deploy'), { recursive: true })
  for (const name of FUNCTION_NAMES) {
    const dir = path.join(root, 'cloudfunctions', name)
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true })
    for (const f of ['config.json', 'package.json']) fs.copyFileSync(path.join(REPO, 'cloudfunctions', name, f), path.join(dir, f))
    fs.writeFileSync(path.join(dir, 'index.js'), 'exports.main = async () => ({})\n')
    fs.writeFileSync(path.join(dir, 'src', 'index.ts'), '// sources are not uploaded\n')
  }
})

afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

/** Stand-ins for the two fallback fonts (the real ones are 10.5 and 30.7 MB), in the renderer's order. */
function fontSources(noto = 'noto font bytes', hana = 'hanazono font bytes') {
  const dir = path.join(root, 'font-sources')
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'noto.ttf'), noto)
  fs.writeFileSync(path.join(dir, 'hana.ttf'), hana)
  return [
    { name: 'NotoSansSC-Regular.ttf', localPath: path.join(dir, 'noto.ttf') },
    { name: 'HanaMinB.ttf', localPath: path.join(dir, 'hana.ttf') },
  ]
}

async function cli(argv: string[], fake: FakeManager | null, env: Record<string, string> = READY, fonts = fontSources()) {
  const lines: string[] = []
  let made = 0
  const code = await run({
    argv,
    env,
    root,
    fontSources: fonts,
    out: (l) => lines.push(l),
    manager: () => {
      made++
      if (!fake) throw new Error('no manager in this test')
      return fake
    },
  })
  return { code, out: lines.join('\n'), made }
}

function wechatEnv(): FakeManager {
  const fake = new FakeManager(ENV_ID)
  fake.wxAppId = READY.WX_APP_ID
  return fake
}

const envOf = (fake: FakeManager, fn: string) => Object.fromEntries((fake.fns.get(fn)!.detail.Environment?.Variables ?? []).map((v) => [v.Key, v.Value]))

describe('npm run deploy', () => {
  it('sets up a new environment completely, and the check then finds nothing to fix', async () => {
    const fake = wechatEnv()
    const deployed = await cli(['deploy'], fake)
    expect(deployed.out).toContain('✓ the environment matches the repository')
    expect(deployed.code).toBe(0)

    // every function, on Node 18.15, with its timeout, memory and the whole env set it needs
    expect([...fake.fns.keys()].sort()).toEqual([...FUNCTION_NAMES].sort())
    for (const name of FUNCTION_NAMES) expect(fake.fns.get(name)!.detail.Runtime).toBe('Nodejs18.15')
    expect(fake.fns.get('invoiceWorker')!.detail.Timeout).toBe(60)
    expect(fake.fns.get('invoice')!.detail.MemorySize).toBe(512)
    expect(envOf(fake, 'payNotify')).toMatchObject({
      SMTP_PASS: 'smtp-secret-value',
      NUONUO_APP_SECRET: 'nuonuo-secret-value',
      SELLER_TAX_ID: READY.SELLER_TAX_ID,
    })
    // unset keys are sent with the schema's default, so the function sees exactly what was checked
    expect(envOf(fake, 'invoice').INVOICE_INLINE_WAIT_MS).toBe('5000')
    // least privilege: functions that never issue invoices carry no provider or mail secret
    for (const light of ['card', 'topup', 'profile']) {
      expect(envOf(fake, light)).not.toHaveProperty('SMTP_PASS')
      expect(envOf(fake, light)).not.toHaveProperty('NUONUO_APP_SECRET')
    }
    expect(envOf(fake, 'topup').PAY_SUB_MCH_ID).toBe('1900000109')
    expect(envOf(fake, 'profile').SUBSCRIBE_TEMPLATE_INVOICE_ISSUED).toBe('tmplIssued0123456789')
    // the timers of reconcile and invoiceWorker
    expect(fake.fns.get('reconcile')!.detail.Triggers).toEqual([
      { TriggerName: 'reconcileEveryMinute', Type: 'timer', TriggerDesc: '{"cron":"0 */1 * * * * *"}' },
    ])
    expect(fake.fns.get('invoiceWorker')!.detail.Triggers?.[0].TriggerName).toBe('invoiceWorkerEveryMinute')
    // the bundle, config.json (openapi permissions) and package.json are uploaded, not the sources
    expect(fake.fns.get('payNotify')!.files).toEqual(expect.arrayContaining(['index.js', 'config.json', 'package.json']))
    expect(fake.fns.get('payNotify')!.files).not.toContain('src')

    // every collection, every index with its uniqueness, no client access to any collection
    expect([...fake.collections.keys()].sort()).toEqual([...new Set(Object.values(WX_COLLECTIONS))].sort())
    const invoiceIndexes = fake.collections.get('invoices')!.indexes
    expect(invoiceIndexes.find((i) => i.Name === 'uniq_openid_clientToken')).toEqual({
      Name: 'uniq_openid_clientToken',
      Keys: [
        { Name: 'openid', Direction: '1' },
        { Name: 'clientToken', Direction: '1' },
      ],
      Unique: true,
    })
    const created = [...fake.collections.values()].flatMap((c) => c.indexes.filter((i) => i.Name !== '_id_'))
    expect(created).toHaveLength(WX_INDEXES.length)
    expect(created.filter((i) => i.Unique)).toHaveLength(WX_INDEXES.filter((i) => i.unique).length)
    for (const c of fake.collections.keys()) expect(fake.rules.get(c)).toEqual({ AclTag: 'ADMINONLY' })
    expect(fake.storageAcl).toEqual({ acl: 'CUSTOM', rule: { read: 'resource.openid == auth.openid', write: 'resource.openid == auth.openid' } })

    const checked = await cli(['check'], fake)
    expect(checked.code).toBe(0)
  })

  it('a second deploy only updates code and configuration: no collection, index, timer or rule is touched', async () => {
    const fake = wechatEnv()
    await cli(['deploy'], fake)
    fake.calls = []
    const again = await cli(['deploy'], fake)
    expect(again.code).toBe(0)
    const writes = fake.calls.filter((c) => /^(create|updateCollection|ModifySafeRule|setStorageAcl|deleteFunctionTrigger)/.test(c))
    expect(writes).toEqual([])
    expect(fake.calls.filter((c) => c.startsWith('updateFunctionConfig'))).toHaveLength(FUNCTION_NAMES.length)
  })

  it('sends the full env set again, so a key removed in the console comes back', async () => {
    const fake = wechatEnv()
    await cli(['deploy'], fake)
    const vars = fake.fns.get('payNotify')!.detail.Environment!.Variables!
    fake.fns.get('payNotify')!.detail.Environment!.Variables = vars.filter((v) => v.Key !== 'SMTP_HOST')
    expect((await cli(['check'], fake)).out).toContain('payNotify: env SMTP_HOST is missing')
    await cli(['deploy'], fake)
    expect(envOf(fake, 'payNotify').SMTP_HOST).toBe('smtp.exmail.qq.com')
    expect((await cli(['check'], fake)).code).toBe(0)
  })

  it('recreates a timer whose schedule was changed, and removes an undeclared one', async () => {
    const fake = wechatEnv()
    await cli(['deploy'], fake)
    fake.fns.get('reconcile')!.detail.Triggers = [{ TriggerName: 'reconcileEveryMinute', Type: 'timer', TriggerDesc: '{"cron":"0 0 * * * * *"}' }]
    fake.fns.get('card')!.detail.Triggers = [{ TriggerName: 'handMade', Type: 'timer', TriggerDesc: '0 0 3 * * * *' }]
    const found = await cli(['check'], fake)
    expect(found.out).toContain('reconcile: timer reconcileEveryMinute runs "0 0 * * * * *", expected "0 */1 * * * * *"')
    expect(found.out).toContain('card: undeclared trigger handMade')
    await cli(['deploy'], fake)
    expect(fake.fns.get('reconcile')!.detail.Triggers).toEqual([
      { TriggerName: 'reconcileEveryMinute', Type: 'timer', TriggerDesc: '{"cron":"0 */1 * * * * *"}' },
    ])
    expect(fake.fns.get('card')!.detail.Triggers).toEqual([])
  })

  it('refuses placeholder seller data before calling anything', async () => {
    const { SELLER_TAX_ID: _drop, ...env } = READY
    const r = await cli(['deploy'], wechatEnv(), env)
    expect(r.code).toBe(1)
    expect(r.made).toBe(0)
    expect(r.out).toContain('SELLER_TAX_ID is still the example value')
    expect(r.out).toContain('nothing was deployed')
    const same = await cli(['deploy'], wechatEnv(), { ...READY, SELLER_TAX_ID: '91420100MA4K0000XJ' })
    expect(same.out).toContain('SELLER_TAX_ID is still the example value')
  })

  it('refuses the sandbox provider unless explicitly allowed, and 诺诺 without its secrets', async () => {
    const sandbox = await cli(['deploy'], wechatEnv(), { ...READY, INVOICE_PROVIDER: 'sandbox' })
    expect(sandbox.code).toBe(1)
    expect(sandbox.made).toBe(0)
    expect(sandbox.out).toContain('INVOICE_PROVIDER is sandbox')
    const allowed = await cli(['deploy'], wechatEnv(), { ...READY, INVOICE_PROVIDER: 'sandbox', INVOICE_ALLOW_SANDBOX: 'true' })
    expect(allowed.code).toBe(0)
    const { NUONUO_APP_SECRET: _drop, ...noSecret } = READY
    const nuonuo = await cli(['deploy'], wechatEnv(), noSecret)
    expect(nuonuo.code).toBe(1)
    expect(nuonuo.out).toContain('NUONUO_APP_SECRET is required with INVOICE_PROVIDER=nuonuo')
  })

  it('refuses an invalid value, naming the key', async () => {
    const r = await cli(['deploy'], wechatEnv(), {
      ...READY,
      SUBSCRIBE_FIELDS_INVOICE_ISSUED: 'title=amount1,amount=amount2,invoiceNo=character_string3,issuedAt=time4,hint=thing5',
    })
    expect(r.code).toBe(1)
    expect(r.made).toBe(0)
    expect(r.out).toContain('SUBSCRIBE_FIELDS_INVOICE_ISSUED maps title to amount1: it must be a thing keyword')
  })

  it('refuses to deploy functions that are not built', async () => {
    fs.rmSync(path.join(root, 'cloudfunctions', 'staff', 'index.js'))
    const r = await cli(['deploy'], wechatEnv())
    expect(r.code).toBe(1)
    expect(r.made).toBe(0)
    expect(r.out).toContain('not built: staff')
  })

  it('fails loudly when a unique index cannot be created because the collection already holds twins', async () => {
    const fake = wechatEnv()
    await fake.database.createCollection('cards')
    fake.collections.get('cards')!.docs.push({ openid: 'o1', cardNo: '1234' }, { openid: 'o1', cardNo: '1234' })
    const r = await cli(['deploy'], fake)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/cards: create index .*uniq_openid_cardNo \(unique\).* failed: E11000/)
    expect(r.out).toContain('cards: index uniq_openid_cardNo (openid asc, cardNo asc, unique) is missing')
  })
})

describe('npm run deploy: the rare-character fallback fonts', () => {
  const sha16 = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)
  const BUCKET = '7775-wuhantong-prod-1a2b-1300000000'

  it('uploads both fonts under content-addressed paths and sets their fileIDs, in order, on the issuing functions only', async () => {
    const fake = wechatEnv()
    const r = await cli(['deploy'], fake)
    expect(r.code).toBe(0)
    const noto = `fonts/${sha16('noto font bytes')}/NotoSansSC-Regular.ttf`
    const hana = `fonts/${sha16('hanazono font bytes')}/HanaMinB.ttf`
    expect(fake.files.get(noto)?.toString()).toBe('noto font bytes')
    expect(fake.files.get(hana)?.toString()).toBe('hanazono font bytes')
    const ids = `cloud://${ENV_ID}.${BUCKET}/${noto},cloud://${ENV_ID}.${BUCKET}/${hana}`
    for (const name of ['invoice', 'invoiceWorker', 'reconcile', 'payNotify']) expect(envOf(fake, name).INVOICE_FALLBACK_FONT_FILE_IDS).toBe(ids)
    expect(envOf(fake, 'card')).not.toHaveProperty('INVOICE_FALLBACK_FONT_FILE_IDS')
    // the uploads come before any function is given their fileIDs
    expect(fake.calls.findIndex((c) => c.startsWith('uploadFile'))).toBeLessThan(fake.calls.findIndex((c) => c.startsWith('createFunction')))
    // the warning about the unset setting is gone: the deploy sets it
    expect(r.out).not.toContain('INVOICE_FALLBACK_FONT_FILE_IDS is not set')
    expect((await cli(['check'], fake)).code).toBe(0)
  })

  it('a second deploy uploads nothing; a changed font goes to a new path and the functions get its new fileID', async () => {
    const fake = wechatEnv()
    await cli(['deploy'], fake)
    fake.calls = []
    expect((await cli(['deploy'], fake)).code).toBe(0)
    expect(fake.calls.filter((c) => c.startsWith('uploadFile'))).toEqual([])

    fake.calls = []
    const changed = await cli(['deploy'], fake, READY, fontSources('noto font bytes, version 2'))
    expect(changed.code).toBe(0)
    const next = `fonts/${sha16('noto font bytes, version 2')}/NotoSansSC-Regular.ttf`
    expect(fake.calls.filter((c) => c.startsWith('uploadFile'))).toEqual([`uploadFile ${next}`])
    expect(envOf(fake, 'invoice').INVOICE_FALLBACK_FONT_FILE_IDS.split(',')[0]).toBe(`cloud://${ENV_ID}.${BUCKET}/${next}`)
  })

  it('the check names a font missing from storage; a fileID set by hand is used as it is and nothing is uploaded', async () => {
    const fake = wechatEnv()
    await cli(['deploy'], fake)
    const [hana] = [...fake.files.keys()].filter((k) => k.endsWith('HanaMinB.ttf'))
    fake.files.delete(hana)
    const found = await cli(['check'], fake)
    expect(found.code).toBe(1)
    expect(found.out).toContain(`fallback font HanaMinB.ttf is not in cloud storage at ${hana}`)

    const own = new FakeManager(ENV_ID)
    own.wxAppId = READY.WX_APP_ID
    const byHand = 'cloud://x.y/fonts/mine.ttf'
    const r = await cli(['deploy'], own, { ...READY, INVOICE_FALLBACK_FONT_FILE_IDS: byHand })
    expect(r.code).toBe(0)
    expect(own.calls.filter((c) => c.startsWith('uploadFile'))).toEqual([])
    expect(envOf(own, 'invoice').INVOICE_FALLBACK_FONT_FILE_IDS).toBe(byHand)
  })

  it('deploys nothing when the environment has no storage bucket to put the fonts in', async () => {
    const fake = wechatEnv()
    fake.bucket = null
    const r = await cli(['deploy'], fake)
    expect(r.code).toBe(1)
    expect(r.out).toContain('has no cloud storage bucket')
    expect(fake.fns.size).toBe(0)
  })

  it('the dry run shows the uploads and the fileIDs the functions would get, calling nothing', async () => {
    const r = await cli(['deploy', '--dry-run'], null)
    expect(r.code).toBe(0)
    expect(r.made).toBe(0)
    expect(r.out).toContain(`NotoSansSC-Regular.ttf (0.0 MB) -> fonts/${sha16('noto font bytes')}/NotoSansSC-Regular.ttf`)
    expect(r.out).toContain(`INVOICE_FALLBACK_FONT_FILE_IDS=cloud://${ENV_ID}.<bucket>/fonts/${sha16('noto font bytes')}/NotoSansSC-Regular.ttf,`)
  })

  it('without the font files it says so and deploys the functions without the setting (with the warning)', async () => {
    const fake = wechatEnv()
    const r = await cli(['deploy'], fake, READY, [{ name: 'HanaMinB.ttf', localPath: path.join(root, 'nowhere.ttf') }])
    expect(r.out).toContain('fallback font not found')
    expect(r.out).toContain('INVOICE_FALLBACK_FONT_FILE_IDS is not set')
    expect(fake.files.size).toBe(0)
  })
})

describe('npm run deploy:dry', () => {
  it('prints the plan with every function, index and rule, secrets masked, and calls nothing', async () => {
    const r = await cli(['deploy', '--dry-run'], null)
    expect(r.code).toBe(0)
    expect(r.made).toBe(0)
    for (const name of FUNCTION_NAMES) expect(r.out).toContain(`  ${name}: Nodejs18.15`)
    expect(r.out).toContain('timer reconcileEveryMinute "0 */1 * * * * *"')
    expect(r.out).toContain('SMTP_PASS=***')
    expect(r.out).toContain('NUONUO_APP_SECRET=***')
    expect(r.out).not.toContain('smtp-secret-value')
    expect(r.out).not.toContain('nuonuo-secret-value')
    expect(r.out).toContain(`${WX_INDEXES.length} indexes, ${WX_INDEXES.filter((i) => i.unique).length} of them unique`)
    expect(r.out).toContain('invoices [ADMINONLY]: uniq_openid_clientToken (unique)')
    expect(r.out).toContain('nothing was called (dry run)')
  })

  it('reads .env (the process environment wins) and says what a deploy would refuse', async () => {
    fs.writeFileSync(path.join(root, '.env'), 'CLOUD_ENV_ID=from-file-env\nINVOICE_PROVIDER=sandbox\n')
    const r = await cli(['deploy', '--dry-run'], null, {})
    expect(r.code).toBe(1)
    expect(r.out).toContain('environment from-file-env')
    expect(r.out).toContain('INVOICE_PROVIDER is sandbox')
    expect(r.out).toContain('a deploy would refuse to start')
  })
})

describe('npm run deploy:check', () => {
  it('lists a missing unique index, an index that lost its uniqueness and a missing env key', async () => {
    const fake = wechatEnv()
    await cli(['deploy'], fake)
    const invoices = fake.collections.get('invoices')!
    invoices.indexes = invoices.indexes.filter((i) => i.Name !== 'uniq_openid_clientToken')
    const cards = fake.collections.get('cards')!.indexes.find((i) => i.Name === 'uniq_openid_cardNo')!
    cards.Unique = false
    const topup = fake.fns.get('topup')!.detail.Environment!
    topup.Variables = topup.Variables!.filter((v) => v.Key !== 'PAY_SUB_MCH_ID')

    const r = await cli(['check'], fake)
    expect(r.code).toBe(1)
    expect(r.out).toContain('✗ 3 problem(s)')
    expect(r.out).toContain('invoices: index uniq_openid_clientToken (openid asc, clientToken asc, unique) is missing')
    expect(r.out).toContain('cards: index on (openid asc, cardNo asc) exists as uniq_openid_cardNo but is not unique: twins are accepted')
    expect(r.out).toContain('topup: env PAY_SUB_MCH_ID is missing')

    // a deploy repairs all three (the stale index is dropped and created unique)
    await cli(['deploy'], fake)
    expect(fake.collections.get('cards')!.indexes.find((i) => i.Name === 'uniq_openid_cardNo')!.Unique).toBe(true)
    expect((await cli(['check'], fake)).code).toBe(0)
  })

  it('reports missing functions and collections, wrong settings and open rules without changing anything', async () => {
    const fake = wechatEnv()
    await cli(['deploy'], fake)
    fake.fns.delete('aftersales')
    fake.collections.delete('tickets')
    fake.fns.get('invoice')!.detail.Timeout = 3
    fake.fns.get('staff')!.detail.Runtime = 'Nodejs16.13'
    const env = fake.fns.get('invoice')!.detail.Environment!.Variables!
    env.find((v) => v.Key === 'SELLER_NAME')!.Value = '别的公司'
    env.find((v) => v.Key === 'SMTP_PASS')!.Value = ''
    fake.rules.set('invoices', { AclTag: 'READONLY' })
    fake.storageAcl = { acl: 'READONLY' }
    fake.calls = []

    const r = await cli(['check'], fake)
    expect(r.code).toBe(1)
    for (const msg of [
      'aftersales: function is missing',
      'tickets: collection is missing',
      'invoice: timeout is 3 s, expected 30 s',
      'staff: runtime is Nodejs16.13, expected Nodejs18.15',
      'invoice: env SELLER_NAME is "别的公司", expected "武汉城市一卡通有限公司"',
      'invoice: secret env SMTP_PASS is empty',
      'invoices: security rule is READONLY, expected ADMINONLY',
      'storage: security rule is READONLY',
    ])
      expect(r.out).toContain(msg)
    // a secret's value is never printed
    expect(r.out).not.toContain('smtp-secret-value')
    expect(fake.calls.filter((c) => !/^(list|get|describe|check|Describe)/.test(c))).toEqual([])
  })
})
