import { useCallback, useState } from 'react'
import { useLoader } from '../../components/use-loader'
import { statement } from '../../services/ledger.service'

/** The statement of the chosen year (this year first). */
export function useStatement() {
  const thisYear = new Date().getFullYear()
  const [year, setYear] = useState(thisYear)
  const fetch = useCallback(() => statement(year), [year])
  const loaded = useLoader(fetch)
  return { ...loaded, year, setYear, years: [thisYear, thisYear - 1, thisYear - 2] }
}
