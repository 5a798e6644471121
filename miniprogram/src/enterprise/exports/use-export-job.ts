import { useCallback, useRef, useState } from 'react'
import type { ExportFilter, ExportView } from '@shared/ledger'
import { useClientToken } from '../../components/use-client-token'
import { errorMessage } from '../../services/cloud'
import { createExport, exportSettled, listExports } from '../../services/ledger.service'

const POLL_MS = 700
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface ExportRequest {
  invoiceIds?: string[]
  filter?: ExportFilter
  email?: string | null
}

/**
 * Runs one export and shows its progress. createExport builds the whole ZIP before it answers,
 * so while it runs the newest export is read every 0.7 s (done / total). If the call itself is
 * lost (a timeout of a very large export), the watch goes on until the export has settled; a
 * repeat of the same request sends the same clientToken and finds the same export.
 */
export function useExportJob() {
  const [job, setJob] = useState<ExportView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const tokenFor = useClientToken()
  const running = useRef(false)

  const start = useCallback(
    async (req: ExportRequest) => {
      if (running.current) return
      running.current = true
      setBusy(true)
      setError(null)
      setJob(null)
      let final: ExportView | null = null
      let failed: unknown = null
      const call = createExport({ ...req, clientToken: tokenFor(req) }).then(
        (v) => {
          final = v
        },
        (e: unknown) => {
          failed = e
        },
      )
      try {
        while (!final) {
          await Promise.race([call, sleep(POLL_MS)])
          if (final) break
          const newest = (await listExports().catch(() => []))[0]
          if (newest) setJob(newest)
          if (failed && (!newest || exportSettled(newest))) break
        }
        if (final) setJob(final)
        else if (failed) setError(errorMessage(failed))
      } finally {
        running.current = false
        setBusy(false)
      }
    },
    [tokenFor],
  )

  return { job, error, busy, start }
}
