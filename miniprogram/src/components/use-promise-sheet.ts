import { useCallback, useRef, useState } from 'react'
import { errorMessage } from '../services/cloud'

/**
 * A confirmation sheet called like a function: `const done = await sheet.open(props)` resolves
 * with what the confirm action returned, or null when the person closed the sheet. While the
 * action runs the sheet is busy; a failure stays in the sheet with its reason, and tapping
 * confirm again retries with the same props (e.g. the same idempotency key).
 */
export function usePromiseSheet<P extends { run: () => Promise<R> }, R>() {
  const [props, setProps] = useState<P | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const resolver = useRef<((value: R | null) => void) | null>(null)
  const busyRef = useRef(false)

  const open = useCallback((next: P): Promise<R | null> => {
    resolver.current?.(null)
    setProps(next)
    setError(null)
    return new Promise<R | null>((resolve) => {
      resolver.current = resolve
    })
  }, [])

  const close = useCallback(() => {
    if (busyRef.current) return
    setProps(null)
    resolver.current?.(null)
    resolver.current = null
  }, [])

  const confirm = useCallback(async () => {
    if (!props || busyRef.current) return
    busyRef.current = true
    setBusy(true)
    setError(null)
    try {
      const result = await props.run()
      setProps(null)
      resolver.current?.(result)
      resolver.current = null
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }, [props])

  return { props, open: props !== null, busy, error, show: open, close, confirm }
}
