import { useEffect, useState } from 'react'
import { getSupport, type SupportInfo } from '../services/support.service'

/** The configured phone and hours; null while loading or when the cloud cannot be reached. */
export function useSupport(): SupportInfo | null {
  const [info, setInfo] = useState<SupportInfo | null>(null)
  useEffect(() => {
    let alive = true
    getSupport()
      .then((s) => alive && setInfo(s))
      .catch(() => undefined)
    return () => {
      alive = false
    }
  }, [])
  return info
}
