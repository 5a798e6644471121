import fs from 'node:fs'
import path from 'node:path'
import { startLocalCloud } from './server'
import { startNuonuoStub, type NuonuoStub } from '../nuonuo-stub/server'

/**
 * LOCAL_NUONUO_STUB=1: a local stand-in of 诺诺开放平台 runs beside the local cloud and issues
 * for it (INVOICE_PROVIDER=nuonuo, NUONUO_BASE_URL pointing at the stub), with the keys of .env
 * or stub defaults. The real protocol end to end, without a Nuonuo account.
 */
async function nuonuoStub(): Promise<NuonuoStub | null> {
  const env = process.env
  if (!['1', 'true', 'yes'].includes((env.LOCAL_NUONUO_STUB ?? '').toLowerCase())) return null
  env.NUONUO_APP_KEY ||= 'LOCALSTUBKEY'
  env.NUONUO_APP_SECRET ||= 'LOCALSTUBSECRET'
  env.NUONUO_ACCESS_TOKEN ||= 'LOCALSTUBTOKEN'
  const stub = await startNuonuoStub({
    appKey: env.NUONUO_APP_KEY,
    appSecret: env.NUONUO_APP_SECRET,
    accessToken: env.NUONUO_ACCESS_TOKEN,
    userTax: env.NUONUO_USER_TAX_NUM || env.SELLER_TAX_ID || '91420100MA4K0000XJ',
    sellerName: env.SELLER_NAME,
    port: Number(env.LOCAL_NUONUO_STUB_PORT ?? 0),
    issuingMs: Number(env.LOCAL_NUONUO_STUB_ISSUING_MS ?? 800),
    signingMs: Number(env.LOCAL_NUONUO_STUB_SIGNING_MS ?? 400),
  })
  env.INVOICE_PROVIDER = 'nuonuo'
  env.NUONUO_BASE_URL = stub.servicesUrl
  return stub
}

/** `npm start` / `npm run dev`: the whole platform on 127.0.0.1, data kept under .data/. */
async function main() {
  const root = path.resolve(__dirname, '../..')
  // .env is optional; .env.example documents every key
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'))
  const stub = await nuonuoStub()
  const cloud = await startLocalCloud({
    dataDir: path.resolve(root, process.env.LOCAL_CLOUD_DATA_DIR ?? '.data'),
    host: process.env.LOCAL_CLOUD_HOST ?? '127.0.0.1',
    port: Number(process.env.LOCAL_CLOUD_PORT ?? 8787),
    timers: true,
  })
  process.stdout.write(
    `\n武汉通本地云已启动\n${stub ? `  诺诺模拟:   ${stub.servicesUrl}\n` : ''}  小程序 H5:  ${cloud.url}/\n  开发菜单:   ${cloud.url}/dev\n  数据目录:   ${path.resolve(root, process.env.LOCAL_CLOUD_DATA_DIR ?? '.data')}\n\n`,
  )
  const stop = () => {
    void cloud
      .close()
      .then(() => stub?.close())
      .then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e) => {
  process.stderr.write(`local cloud failed to start: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
