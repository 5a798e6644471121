import crypto from 'node:crypto'
import { DomainError } from '../domain/errors'
import { checkPhotoIds, cloudPathOf, imageKind, isOwnUploadPath, uploadPath, type UploadExt, type UploadPurpose } from '../domain/upload'
import type { Deps } from '../runtime/deps'

/**
 * Where the person may upload one photo: a fresh path under their own folder and the size
 * limit. Nothing is written here; the record that later names the file checks it.
 */
export function uploadTarget(deps: Deps, openid: string, purpose: UploadPurpose, ext: UploadExt): { cloudPath: string; maxBytes: number } {
  const random = Buffer.from(deps.random.bytes(12)).toString('hex')
  return { cloudPath: uploadPath(openid, purpose, random, ext), maxBytes: deps.config.afterSales.photoMaxBytes }
}

/** For the local cloud's H5 upload route: may this person write to this path? */
export const mayUpload = (openid: string, cloudPath: string): boolean => isOwnUploadPath(openid, cloudPath)

/**
 * Checks the photos a record names before it is written: in the caller's own folder, there,
 * within the size limit, and really a JPEG or PNG by its first bytes (a renamed file is not).
 * Any failure is UPLOAD.INVALID and nothing is written.
 */
export async function checkPhotos(deps: Deps, openid: string, raw: unknown): Promise<string[]> {
  const ids = checkPhotoIds(openid, raw, deps.config.afterSales.maxPhotos)
  for (const id of ids) {
    let bytes: Buffer
    try {
      bytes = await deps.storage.download(id)
    } catch {
      throw new DomainError('UPLOAD.INVALID', '照片未上传成功，请重新上传')
    }
    if (bytes.length === 0 || bytes.length > deps.config.afterSales.photoMaxBytes) {
      throw new DomainError('UPLOAD.INVALID', `照片不能超过 ${Math.floor(deps.config.afterSales.photoMaxBytes / 1024 / 1024) || 1} MB`)
    }
    const kind = imageKind(bytes)
    const ext = cloudPathOf(id)!.endsWith('.png') ? 'png' : 'jpg'
    if (!kind) throw new DomainError('UPLOAD.INVALID', '只支持 JPG 或 PNG 格式的照片')
    if (kind !== ext)
      deps.log.warn('photo extension differs from its content', { file: crypto.createHash('sha256').update(id).digest('hex').slice(0, 12), kind, ext })
  }
  return ids
}
