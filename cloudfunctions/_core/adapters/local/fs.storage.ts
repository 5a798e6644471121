import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { StoragePort } from '../../ports/storage.port'

/**
 * Cloud storage on the local file system. fileIDs look like WeChat's
 * (cloud://<env>.<bucket>/<cloudPath>); temporary URLs are signed with a process secret,
 * expire, and are minted only for files under users/<openid>/ of the asking owner. The local
 * cloud's /storage route checks the signature, the expiry and that the session fetching the
 * URL is that owner.
 */
export class FsStorage implements StoragePort {
  private readonly prefix: string

  constructor(
    private readonly root: string,
    private readonly opts: { envId: string; baseUrl: () => string; secret: Buffer; now?: () => Date },
  ) {
    fs.mkdirSync(root, { recursive: true })
    this.prefix = `cloud://${opts.envId}.local-bucket/`
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
    if (sig.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) return 'bad_signature'
    if ((this.opts.now?.() ?? new Date()).getTime() / 1000 > exp) return 'expired'
    if (!requesterOpenid || !cloudPath.startsWith(`users/${requesterOpenid}/`)) return 'not_owner'
    return 'ok'
  }

  async remove(fileIDs: string[]) {
    for (const id of fileIDs) fs.rmSync(this.pathOf(id), { force: true })
  }
}
