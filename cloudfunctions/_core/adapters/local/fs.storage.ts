import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { StoragePort } from '../../ports/storage.port'

/**
 * Cloud storage on the local file system. fileIDs look like WeChat's
 * (cloud://<env>.<bucket>/<cloudPath>); temporary URLs are signed with a process secret,
 * expire, and are minted only for files under users/<openid>/ of the asking owner. The local
 * cloud's /storage route checks the signature, the expiry and that the session fetching the
 * URL is that owner.
 */
const TEMP_FILE = /\.(\d+)\.tmp$/
const TEMP_MAX_AGE_MS = 10 * 60_000

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: alive, someone else's
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export class FsStorage implements StoragePort {
  private readonly prefix: string

  constructor(
    private readonly root: string,
    private readonly opts: { envId: string; baseUrl: () => string; secret: Buffer; now?: () => Date },
  ) {
    fs.mkdirSync(root, { recursive: true })
    this.prefix = `cloud://${opts.envId}.local-bucket/`
    this.sweepTemp()
  }

  /**
   * Removes `<file>.<pid>.tmp` left by a writer killed between write and rename (kill -9, power
   * loss): those whose pid is no longer alive, and any older than TEMP_MAX_AGE_MS (a pid reused
   * by an unrelated process). A live writer's fresh temp file is left alone, so several processes
   * on the same data folder (the local cloud, a child of a test, a CLI) never remove each
   * other's half-written file. Runs when the storage is opened; answers how many it removed.
   */
  sweepTemp(): number {
    const now = Date.now()
    let removed = 0
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name)
        if (e.isDirectory()) walk(full)
        else if (e.isFile()) {
          const m = TEMP_FILE.exec(e.name)
          if (!m) continue
          const pid = Number(m[1])
          const stale = (pid !== process.pid && !pidAlive(pid)) || now - fs.statSync(full).mtimeMs > TEMP_MAX_AGE_MS
          if (stale) {
            fs.rmSync(full, { force: true })
            removed++
          }
        }
      }
    }
    walk(this.root)
    return removed
  }

  private pathOf(fileID: string): string {
    if (!fileID.startsWith(this.prefix)) throw new Error('STORAGE_FILE_NONEXIST')
    return this.safePath(fileID.slice(this.prefix.length))
  }

  safePath(cloudPath: string): string {
    const clean = path.posix.normalize(cloudPath)
    if (clean.startsWith('..') || clean.startsWith('/') || clean.includes('\0') || clean === '.') throw new Error('STORAGE_INVALID_PATH')
    return path.join(this.root, clean)
  }

  async upload({ cloudPath, content }: { cloudPath: string; content: Buffer }) {
    const file = this.safePath(cloudPath)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, content)
    fs.renameSync(tmp, file) // atomic: a reader never sees half a file
    return { fileID: this.prefix + path.posix.normalize(cloudPath) }
  }

  /** Streams the file into a temp file beside the target, then renames it (a reader never sees half). */
  async uploadFile({ cloudPath, localPath }: { cloudPath: string; localPath: string }) {
    const file = this.safePath(cloudPath)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    await pipeline(fs.createReadStream(localPath), fs.createWriteStream(tmp))
    fs.renameSync(tmp, file)
    return { fileID: this.prefix + path.posix.normalize(cloudPath) }
  }

  async download(fileID: string): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(fileID))
  }

  sign(cloudPath: string, exp: number): string {
    return crypto.createHmac('sha256', this.opts.secret).update(`${cloudPath}\n${exp}`).digest('base64url')
  }

  async tempUrls(fileIDs: string[], { openid, maxAgeSeconds }: { openid: string; maxAgeSeconds: number }) {
    const exp = Math.floor((this.opts.now?.() ?? new Date()).getTime() / 1000) + maxAgeSeconds
    return fileIDs.map((fileID) => {
      if (!fileID.startsWith(this.prefix)) return { fileID, url: null }
      const cloudPath = path.posix.normalize(fileID.slice(this.prefix.length))
      if (!cloudPath.startsWith(`users/${openid}/`) || !fs.existsSync(this.safePath(cloudPath))) return { fileID, url: null }
      const q = new URLSearchParams({ exp: String(exp), sig: this.sign(cloudPath, exp) })
      return { fileID, url: `${this.opts.baseUrl()}/storage/${cloudPath.split('/').map(encodeURIComponent).join('/')}?${q}` }
    })
  }

  /** Used by the local cloud's /storage route. */
  verify(cloudPath: string, exp: number, sig: string, requesterOpenid: string | null): 'ok' | 'expired' | 'bad_signature' | 'not_owner' {
    const expected = this.sign(cloudPath, exp)
    // compared as bytes: a non-ASCII signature of the right length in characters is longer in bytes
    const given = Buffer.from(sig)
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, Buffer.from(expected))) return 'bad_signature'
    if ((this.opts.now?.() ?? new Date()).getTime() / 1000 > exp) return 'expired'
    if (!requesterOpenid || !cloudPath.startsWith(`users/${requesterOpenid}/`)) return 'not_owner'
    return 'ok'
  }

  async remove(fileIDs: string[]) {
    for (const id of fileIDs) fs.rmSync(this.pathOf(id), { force: true })
  }
}
