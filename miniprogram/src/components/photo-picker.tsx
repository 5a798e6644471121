import { Image, View } from '@tarojs/components'
import type { PhotoUploads } from './use-photo-uploads'
import { formatBytes } from '../services/upload.service'
import './photo-picker.css'
import { decorative, pressable } from './a11y'

/**
 * Up to `max` photos as square previews: 上传中 / 上传失败 (tap to retry) on each, a ✕ to remove,
 * and a + tile while there is room. The refusal of a pick (type, size) shows under the grid.
 */
export function PhotoPicker({ uploads, idPrefix, hint }: { uploads: PhotoUploads; idPrefix: string; hint?: string }) {
  const { items, notice, add, remove, retry, max } = uploads
  return (
    <View className='photos'>
      <View className='photos__grid'>
        {items.map((item, i) => (
          <View key={item.key} className='photos__tile' id={`${idPrefix}-photo-${i}`}>
            <Image className='photos__img' src={item.photo.path} mode='aspectFill' {...decorative()} />
            {item.status === 'uploading' ? <View className='photos__state'>上传中…</View> : null}
            {item.status === 'failed' ? (
              <View
                className='photos__state photos__state--failed'
                id={`${idPrefix}-photo-retry-${i}`}
                onClick={() => retry(item.key)}
                {...pressable(`上传失败，点此重试 第 ${i + 1} 张`)}
              >
                上传失败
                <View>点此重试</View>
              </View>
            ) : null}
            {item.status === 'done' ? <View className='photos__size'>{formatBytes(item.photo.size)}</View> : null}
            <View className='photos__remove' id={`${idPrefix}-photo-remove-${i}`} onClick={() => remove(item.key)} {...pressable(`删除第 ${i + 1} 张照片`)}>
              <View className='photos__x' {...decorative()}>
                ✕
              </View>
            </View>
          </View>
        ))}
        {items.length < max ? (
          <View className='photos__tile photos__add' id={`${idPrefix}-photo-add`} hoverClass='cell-hover' onClick={() => void add()} {...pressable('添加照片')}>
            <View className='photos__plus' {...decorative()}>
              +
            </View>
            <View className='photos__add-text'>添加照片</View>
          </View>
        ) : null}
      </View>
      <View className='photos__hint'>{hint ?? `选填，最多 ${max} 张，JPG 或 PNG，每张不超过 5 MB`}</View>
      {notice ? (
        <View className='photos__notice' id={`${idPrefix}-photo-notice`}>
          {notice}
        </View>
      ) : null}
      {items.some((x) => x.status === 'failed') ? (
        <View className='photos__notice'>{items.find((x) => x.status === 'failed')?.error}，可点照片重试或删除</View>
      ) : null}
    </View>
  )
}
