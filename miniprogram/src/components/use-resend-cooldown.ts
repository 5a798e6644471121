import { useEffect, useState } from 'react'

/**
 * The re-send cooldown as the cloud answers it (INVOICE.RESEND_TOO_SOON with retryAfterSeconds),
 * per address: the seconds left for the address being typed, counting down once a second; another
 * address has none, so it can be sent at once.
 */
export function useResendCooldown(address: string) {
  const [until, setUntil] = useState<Record<string, number>>({})
  const [now, setNow] = useState(() => Date.now())
  const key = address.trim().toLowerCase()
  const left = until[key] ? Math.max(0, Math.ceil((until[key] - now) / 1000)) : 0

  // one ticker while a wait runs (not one per second)
  const ticking = left > 0
  useEffect(() => {
    if (!ticking) return undefined
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [ticking])

  /** the cloud said this address must wait `seconds` */
  function wait(addr: string, seconds: number) {
    const at = Date.now()
    setNow(at)
    setUntil((cur) => ({ ...cur, [addr.trim().toLowerCase()]: at + seconds * 1000 }))
  }

  return { secondsLeft: left, wait }
}
