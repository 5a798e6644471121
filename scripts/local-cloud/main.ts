import fs from 'node:fs'
import path from 'node:path'
import { startLocalCloud } from './server'

/** `npm start` / `npm run dev`: the whole platform on 127.0.0.1, data kept under .data/. */
async function main() {
  const root = path.resolve(__dirname, '../..')
  // .env is optional; .env.example documents every key
  if (fs.existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'))
  const cloud = await startLocalCloud({
    dataDir: path.resolve(root, process.env.LOCAL_CLOUD_DATA_DIR ?? '.data'),
    host: process.env.LOCAL_CLOUD_HOST ?? '127.0.0.1',
    port: Number(process.env.LOCAL_CLOUD_PORT ?? 8787),
    timers: true,
  })
  process.stdout.write(
    `\n武汉通本地云已启动\n  小程序 H5:  ${cloud.url}/\n  开发菜单:   ${cloud.url}/dev\n  数据目录:   ${path.resolve(root, process.env.LOCAL_CLOUD_DATA_DIR ?? '.data')}\n\n`,
  )
  const stop = () => {
    void cloud.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e) => {
  process.stderr.write(`local cloud failed to start: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
