import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FsStorage } from '../../../cloudfunctions/_core/adapters/local/fs.storage'

const ROOT = path.resolve(__dirname, '../../..')
const CHILD = path.join(ROOT, 'tests/helpers/storage-write.child.ts')

const open = (root: string) => new FsStorage(root, { envId: 'local', baseUrl: () => 'http://127.0.0.1:1', secret: crypto.randomBytes(32) })

const tmpFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.tmp'))
    .map((f) => path.join(dir, f))

/** Runs the child until it stands between writing the temp file and renaming it, then kill -9. */
async function killMidStore(root: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (b: Buffer) => (err += String(b)))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      if (String(b).includes('mid-store')) resolve()
    })
    child.on('exit', () => reject(new Error(`child ended before mid-store: ${err}`)))
  })
  child.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')
}

describe('local storage after a writer is killed', () => {
  it('a writer killed mid-store leaves no temp file once storage is opened again, and completed files stay', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-storage-'))
    await killMidStore(root)
    expect(tmpFiles(root)).toHaveLength(1) // the crash really left one behind

    const storage = open(root)

    expect(tmpFiles(root)).toEqual([])
    expect(fs.existsSync(path.join(root, 'users/o1/invoices/half.pdf'))).toBe(false)
    expect((await storage.download('cloud://local.local-bucket/users/o1/invoices/done.pdf')).toString()).toBe('complete')
  }, 30_000)

  it("a live writer's fresh temp file is left alone; a stale one is removed", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-storage-'))
    fs.mkdirSync(path.join(root, 'users/o1'), { recursive: true })
    const live = path.join(root, `users/o1/a.pdf.${process.pid}.tmp`)
    const old = path.join(root, `users/o1/b.pdf.${process.pid}.tmp`)
    fs.writeFileSync(live, 'writing')
    fs.writeFileSync(old, 'forgotten')
    const hourAgo = new Date(Date.now() - 3600_000)
    fs.utimesSync(old, hourAgo, hourAgo)

    open(root)

    expect(fs.existsSync(live)).toBe(true)
    expect(fs.existsSync(old)).toBe(false)
  })
})
