import fs from 'node:fs'
import path from 'node:path'
import type { StoragePort } from '../../ports/storage.port'
import type { WxCloudLike } from './wx-cloud.types'

/** getTempFileURL and deleteFile take at most 50 fileIDs per call. */
export const MAX_FILES_PER_CALL = 50

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

/**
 * A cloud path we are willing to write or hand out: relative, no `..` escape, no NUL. The same
 * rule as FsStorage.safePath, so a path accepted locally is accepted in WeChat cloud and back.
 */
function cleanPath(cloudPath: string): string | null {
  const clean = path.posix.normalize(cloudPath)
  if (clean.startsWith('..') || clean.startsWith('/') || clean.includes('\0') || clean === '.' || clean === '') return null
  return clean
}

/**
 * The cloud path inside a fileID (cloud://<env>.<bucket>/<path>), or null when it is not one.
 * Only the path decides ownership: the env and bucket part is WeChat's.
 */
export function cloudPathOf(fileID: string): string | null {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID)
  if (!m) return null
  const clean = cleanPath(m[1])
  // A normalised path that differs from the raw one (a/../b, a//b) is refused rather than
  // trusted: the link would be minted for the raw string, not for what we checked.
  return clean === m[1] ? clean : null
}

/** An openid safe to use as one path segment. */
const isSegment = (s: string) => s.length > 0 && !s.includes('/') && s !== '.' && s !== '..' && !s.includes('\0')

/**
 * StoragePort over cloud storage. Files are kept by fileID; links are minted on demand and
 * only for the owner, whose files live under users/<openid>/. Cloud functions bypass the
 * storage's security rules, so the ownership check below is the only one there is.
 */
export function wxStorage(cloud: Pick<WxCloudLike, 'uploadFile' | 'downloadFile' | 'getTempFileURL' | 'deleteFile'>): StoragePort {
  return {
    async upload({ cloudPath, content }) {
      const clean = cleanPath(cloudPath)
      if (!clean) throw new Error('STORAGE_INVALID_PATH')
      const { fileID } = await cloud.uploadFile({ cloudPath: clean, fileContent: content })
      return { fileID }
    },

    async uploadFile({ cloudPath, localPath }) {
      const clean = cleanPath(cloudPath)
      if (!clean) throw new Error('STORAGE_INVALID_PATH')
      // the SDK reads the stream as it sends it: the file is never loaded whole
      const { fileID } = await cloud.uploadFile({ cloudPath: clean, fileContent: fs.createReadStream(localPath) })
      return { fileID }
    },

    async download(fileID) {
      const { fileContent } = await cloud.downloadFile({ fileID })
      return Buffer.isBuffer(fileContent) ? fileContent : Buffer.from(fileContent)
    },

    /**
     * One entry per fileID, in the caller's order. Someone else's file, a malformed fileID or
     * a file WeChat cannot find gets url null: the caller learns nothing about files it does
     * not own. Requests go to WeChat in batches of 50, its per-call limit.
     */
    async tempUrls(fileIDs, { openid, maxAgeSeconds }) {
      const prefix = `users/${openid}/`
      const owned = isSegment(openid) ? [...new Set(fileIDs.filter((id) => cloudPathOf(id)?.startsWith(prefix)))] : []
      const urls = new Map<string, string>()
      for (const batch of chunks(owned, MAX_FILES_PER_CALL)) {
        const { fileList } = await cloud.getTempFileURL({ fileList: batch.map((fileID) => ({ fileID, maxAge: maxAgeSeconds })) })
        for (const item of fileList ?? []) {
          if (item.status === 0 && typeof item.tempFileURL === 'string' && item.tempFileURL) urls.set(item.fileID, item.tempFileURL)
        }
      }
      return fileIDs.map((fileID) => ({ fileID, url: urls.get(fileID) ?? null }))
    },

    /** Like the local rm -f: a file that is already gone is not an error, any other failure is. */
    async remove(fileIDs) {
      const failed: string[] = []
      for (const batch of chunks([...new Set(fileIDs)], MAX_FILES_PER_CALL)) {
        const { fileList } = await cloud.deleteFile({ fileList: batch })
        for (const item of fileList ?? []) {
          if (item.status !== 0 && !/NONEXIST|not exist|不存在/i.test(item.errMsg ?? '')) failed.push(`${item.fileID}: ${item.errMsg ?? item.status}`)
        }
      }
      if (failed.length) throw new Error(`deleteFile failed for ${failed.length} file(s): ${failed.slice(0, 3).join('; ')}`)
    },
  }
}
