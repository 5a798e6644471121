import { useEffect, useState } from 'react'
import { isLargeText, onLargeTextChange } from '../services/settings.service'

/** The 大字模式 flag, re-rendering every mounted page when it changes. */
export function useLargeText(): boolean {
  const [large, setLarge] = useState(isLargeText)
  useEffect(() => {
    setLarge(isLargeText())
    return onLargeTextChange(setLarge)
  }, [])
  return large
}
