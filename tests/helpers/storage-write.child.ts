/**
 * One process of the kill -9 test of local storage (tests/adapters/local/fs.storage.crash.test.ts):
 * stores one file completely, then starts storing a second and stops for good between writing the
 * temp file and renaming it into place (the crash window of an atomic write), says "mid-store"
 * and waits there to be killed.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import { FsStorage } from '../../cloudfunctions/_core/adapters/local/fs.storage'

const [root] = process.argv.slice(2)
const storage = new FsStorage(root, { envId: 'local', baseUrl: () => 'http://127.0.0.1:1', secret: crypto.randomBytes(32) })

async function main() {
  await storage.upload({ cloudPath: 'users/o1/invoices/done.pdf', content: Buffer.from('complete') })
  const rename = fs.renameSync
  fs.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    if (String(to).endsWith('half.pdf')) {
      process.stdout.write('mid-store\n')
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0) // blocks until killed
    }
    rename(from, to)
  }
  await storage.upload({ cloudPath: 'users/o1/invoices/half.pdf', content: crypto.randomBytes(256 * 1024) })
}

void main()
