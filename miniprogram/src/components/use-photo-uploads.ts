import { useCallback, useEffect, useRef, useState } from 'react'
import { errorMessage } from '../services/cloud'
import { DEFAULT_PHOTO_MAX_BYTES, choosePhotos, uploadPhoto, type PickedPhoto, type UploadPurpose } from '../services/upload.service'

export interface PhotoItem {
  key: string
  photo: PickedPhoto
  status: 'uploading' | 'done' | 'failed'
  fileId: string | null
  error: string | null
}

/**
 * Photos of one form: each is uploaded as soon as it is picked (so 提交 only sends fileIDs), can
 * be removed or retried; `notice` says why a pick was refused (type or size) and what to do.
 */
export function usePhotoUploads(purpose: UploadPurpose, max: number) {
  const [items, setItems] = useState<PhotoItem[]>([])
  const [notice, setNotice] = useState<string | null>(null)
  const seq = useRef(0)
  const alive = useRef(true)
  useEffect(
    () => () => {
      alive.current = false
    },
    [],
  )

  const upload = useCallback(
    async (key: string, photo: PickedPhoto) => {
      try {
        const fileId = await uploadPhoto(photo, purpose)
        if (alive.current) setItems((cur) => cur.map((x) => (x.key === key ? { ...x, status: 'done', fileId, error: null } : x)))
      } catch (e) {
        if (alive.current) setItems((cur) => cur.map((x) => (x.key === key ? { ...x, status: 'failed', error: errorMessage(e) } : x)))
      }
    },
    [purpose],
  )

  const add = useCallback(async () => {
    const room = max - items.length
    if (room <= 0) {
      setNotice(`最多 ${max} 张照片，可先删除一张再添加`)
      return
    }
    const { photos, rejected } = await choosePhotos(room, DEFAULT_PHOTO_MAX_BYTES)
    setNotice(rejected.length > 0 ? rejected[0].reason : null)
    const added = photos.map((photo) => ({ key: `p${++seq.current}`, photo, status: 'uploading' as const, fileId: null, error: null }))
    if (added.length === 0) return
    setItems((cur) => [...cur, ...added].slice(0, max))
    for (const item of added) void upload(item.key, item.photo)
  }, [items.length, max, upload])

  const remove = useCallback((key: string) => {
    setItems((cur) => cur.filter((x) => x.key !== key))
    setNotice(null)
  }, [])

  const retry = useCallback(
    (key: string) => {
      const item = items.find((x) => x.key === key)
      if (!item) return
      setItems((cur) => cur.map((x) => (x.key === key ? { ...x, status: 'uploading', error: null } : x)))
      void upload(key, item.photo)
    },
    [items, upload],
  )

  const reset = useCallback(() => {
    setItems([])
    setNotice(null)
  }, [])

  const fileIds = items.filter((x) => x.status === 'done' && x.fileId).map((x) => x.fileId as string)
  const uploading = items.some((x) => x.status === 'uploading')
  const failed = items.some((x) => x.status === 'failed')
  return { items, notice, add, remove, retry, reset, fileIds, uploading, failed, max }
}

export type PhotoUploads = ReturnType<typeof usePhotoUploads>
