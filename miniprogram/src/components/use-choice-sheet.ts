import { useCallback, useEffect, useRef, useState } from 'react'

/**
 * A choice sheet called like a function (for a sheet that runs an action, see use-promise-sheet): `const stars = await rating.open(args)` resolves with
 * the choice, or null when the person closes the sheet. The page renders the sheet once with
 * `{...rating.props}`; opening again settles the previous promise with null.
 */
export function useChoiceSheet<A, R>() {
  const [args, setArgs] = useState<A | null>(null)
  const resolver = useRef<((value: R | null) => void) | null>(null)

  const settle = useCallback((value: R | null) => {
    const resolve = resolver.current
    resolver.current = null
    setArgs(null)
    resolve?.(value)
  }, [])

  const open = useCallback((a: A) => {
    resolver.current?.(null)
    return new Promise<R | null>((resolve) => {
      resolver.current = resolve
      setArgs(a)
    })
  }, [])

  // leaving the page answers nothing rather than leaving a promise hanging
  useEffect(() => () => resolver.current?.(null), [])

  return { open, props: { open: args !== null, args, settle } }
}

export interface SheetProps<A, R> {
  open: boolean
  args: A | null
  settle: (value: R | null) => void
}
