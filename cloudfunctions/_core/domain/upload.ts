import { DomainError } from './errors'

/**
 * Photos people attach to applications and tickets. They upload straight to cloud storage
 * (Taro.cloud.uploadFile in the weapp, the local cloud's PUT /storage/upload in H5) under their
 * own folder; a record only ever names a fileID that passes these checks.
 */
export type UploadPurpose = 'application' | 'ticket'
export type UploadExt = 'jpg' | 'png'

export const UPLOAD_PURPOSES: readonly UploadPurpose[] = ['application', 'ticket']
export const UPLOAD_EXTS: readonly UploadExt[] = ['jpg', 'png']

/** The one folder a person's after-sales photos may live in. */
export const uploadFolder = (openid: string) => `users/${openid}/aftersales/`

/** users/<openid>/aftersales/<purpose>/<random>.<ext> */
export function uploadPath(openid: string, purpose: UploadPurpose, random: string, ext: UploadExt): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(openid) || !/^[a-z0-9]{8,64}$/.test(random)) throw new Error('bad upload path parts')
  return `${uploadFolder(openid)}${purpose}/${random}.${ext}`
}

/**
 * Whether a cloudPath is a well-formed photo path in the person's own folder: exactly
 * users/<openid>/aftersales/<purpose>/<name>.<jpg|png>, nothing that could climb out.
 */
export function isOwnUploadPath(openid: string, cloudPath: string): boolean {
  if (!cloudPath.startsWith(uploadFolder(openid))) return false
  const rest = cloudPath.slice(uploadFolder(openid).length)
  return /^(application|ticket)\/[A-Za-z0-9_-]{1,64}\.(jpg|png)$/.test(rest)
}

/** cloud://<env>.<bucket>/<cloudPath> -> cloudPath (null when it is not a cloud fileID). */
export function cloudPathOf(fileId: string): string | null {
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId)
  return m ? m[1] : null
}

/** The fileIDs a record names: at most `max`, no twins, each in the caller's own folder. */
export function checkPhotoIds(openid: string, raw: unknown, max: number): string[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string' || x.length > 300)) throw new DomainError('UPLOAD.INVALID', '照片参数不正确')
  if (raw.length > max) throw new DomainError('UPLOAD.INVALID', `最多上传 ${max} 张照片`)
  if (new Set(raw).size !== raw.length) throw new DomainError('UPLOAD.INVALID', '照片重复')
  for (const id of raw as string[]) {
    const p = cloudPathOf(id)
    if (!p || !isOwnUploadPath(openid, p)) throw new DomainError('UPLOAD.INVALID', '照片无效，请重新上传')
  }
  return raw as string[]
}

/** JPEG (FF D8 FF) or PNG (89 50 4E 47 0D 0A 1A 0A) by magic bytes, whatever the name says. */
export function imageKind(bytes: Uint8Array): 'jpg' | 'png' | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg'
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png'
  return null
}
