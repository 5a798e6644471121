/**
 * Photos for after-sales (补开 proof, ticket screenshots): pick, check, upload into the person's
 * own folder in cloud storage, and hand back the fileID the application or ticket names.
 * The cloud says where (aftersales.uploadTarget: a cloudPath under users/<openid>/ and the size
 * limit) and checks every fileID again (folder, size, JPEG/PNG by its bytes).
 * weapp: Taro.chooseImage + Taro.cloud.uploadFile. H5: Taro.chooseImage gives a blob URL; its bytes
 * are PUT to the local cloud's /storage/upload with the session's Bearer token.
 */
import Taro from '@tarojs/taro'
import { CloudError, callFunction } from './cloud'
import { readSession, redirectToLogin } from './session'

export type UploadPurpose = 'application' | 'ticket'
export type PhotoExt = 'jpg' | 'png'

export interface PickedPhoto {
  /** a temp path (weapp) or blob URL (H5): also the preview's src */
  path: string
  size: number
  ext: PhotoExt
}

/** What the picker refused, for the person (size or type), with the next step. */
export interface PickRejection {
  reason: string
}

const UPLOAD_FAILED = '照片上传失败，请检查网络后重试'
/** before the cloud has said (uploadTarget answers the configured limit) */
export const DEFAULT_PHOTO_MAX_BYTES = 5 * 1024 * 1024

function extOf(path: string, mime: string | undefined): PhotoExt | null {
  const m = (mime ?? '').toLowerCase()
  if (m === 'image/jpeg' || m === 'image/jpg') return 'jpg'
  if (m === 'image/png') return 'png'
  if (m !== '') return null
  const p = path.toLowerCase().split('?')[0]
  if (p.endsWith('.jpg') || p.endsWith('.jpeg')) return 'jpg'
  if (p.endsWith('.png')) return 'png'
  return null
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/**
 * Lets the person choose up to `count` photos; those of the wrong type or too big come back as
 * rejections (with the reason) instead of failing the whole pick. A cancelled pick is empty.
 */
export async function choosePhotos(count: number, maxBytes: number): Promise<{ photos: PickedPhoto[]; rejected: PickRejection[] }> {
  let res: Taro.chooseImage.SuccessCallbackResult
  try {
    res = await Taro.chooseImage({ count, sizeType: ['compressed'], sourceType: ['album', 'camera'] })
  } catch {
    return { photos: [], rejected: [] } // cancelled
  }
  const photos: PickedPhoto[] = []
  const rejected: PickRejection[] = []
  const files = (res.tempFiles ?? []) as { path: string; size: number; type?: string }[]
  for (const f of files.slice(0, count)) {
    const ext = extOf(f.path, f.type)
    if (!ext) rejected.push({ reason: '只能上传 JPG 或 PNG 图片，请换一张' })
    else if (f.size > maxBytes) rejected.push({ reason: `照片 ${formatBytes(f.size)} 超过 ${formatBytes(maxBytes)}，请裁剪或截图后再上传` })
    else photos.push({ path: f.path, size: f.size, ext })
  }
  return { photos, rejected }
}

/** Where this photo may go, and the size limit the cloud enforces. */
export function uploadTarget(purpose: UploadPurpose, ext: PhotoExt) {
  return callFunction('aftersales', 'uploadTarget', { purpose, ext })
}

/** Uploads one photo into the person's own folder; resolves with its fileID. */
export async function uploadPhoto(photo: PickedPhoto, purpose: UploadPurpose): Promise<string> {
  const { cloudPath, maxBytes } = await uploadTarget(purpose, photo.ext)
  if (photo.size > maxBytes) {
    throw new CloudError('UPLOAD.INVALID', `照片 ${formatBytes(photo.size)} 超过 ${formatBytes(maxBytes)}，请换一张`)
  }
  return process.env.TARO_ENV === 'h5' ? uploadH5(photo, cloudPath) : uploadWeapp(photo, cloudPath)
}

async function uploadWeapp(photo: PickedPhoto, cloudPath: string): Promise<string> {
  try {
    const res = await Taro.cloud.uploadFile({ cloudPath, filePath: photo.path })
    if (!res.fileID) throw new Error('no fileID')
    return res.fileID
  } catch {
    throw new CloudError('NETWORK', UPLOAD_FAILED)
  }
}

async function uploadH5(photo: PickedPhoto, cloudPath: string): Promise<string> {
  const session = readSession()
  if (!session) {
    redirectToLogin()
    throw new CloudError('COMMON.UNAUTHENTICATED', '请先登录')
  }
  let res: Response
  try {
    const bytes = await (await fetch(photo.path)).blob()
    res = await fetch('/storage/upload?cloudPath=' + encodeURIComponent(cloudPath), {
      method: 'PUT',
      headers: { 'Content-Type': photo.ext === 'png' ? 'image/png' : 'image/jpeg', Authorization: 'Bearer ' + session.token },
      body: bytes,
    })
  } catch {
    throw new CloudError('NETWORK', UPLOAD_FAILED)
  }
  if (res.status === 413) throw new CloudError('UPLOAD.INVALID', '照片太大，请换一张较小的照片')
  if (res.status === 401) {
    redirectToLogin()
    throw new CloudError('COMMON.UNAUTHENTICATED', '请先登录')
  }
  let body: unknown
  try {
    body = await res.json()
  } catch {
    body = undefined
  }
  // the route answers { fileID } (or the usual envelope around it)
  const b = body as { fileID?: unknown; ok?: boolean; data?: { fileID?: unknown }; error?: { message?: string } } | undefined
  const fileID = b?.fileID ?? (b?.ok ? b.data?.fileID : undefined)
  if (res.ok && typeof fileID === 'string' && fileID !== '') return fileID
  throw new CloudError('UPLOAD.INVALID', b?.error?.message || UPLOAD_FAILED)
}
