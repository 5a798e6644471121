import { useCallback, useRef } from 'react'
import { newClientToken } from '../services/topup.service'

/**
 * One idempotency key per submitted input: every tap and retry of the same input sends the same
 * key (the cloud then finds the record it already made), and an edited input gets a fresh key,
 * so a corrected form is a new request rather than a CLIENT_TOKEN_REUSED refusal.
 * Usage: `const tokenFor = useClientToken(); submit({ ...input, clientToken: tokenFor(input) })`.
 */
export function useClientToken() {
  const state = useRef<{ sig: string | null; token: string }>({ sig: null, token: '' })
  return useCallback((input: unknown): string => {
    const sig = JSON.stringify(input)
    if (state.current.sig !== sig) state.current = { sig, token: newClientToken() }
    return state.current.token
  }, [])
}
