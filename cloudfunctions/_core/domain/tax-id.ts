/**
 * Taxpayer IDs (统一社会信用代码, GB 32100-2015). 18 characters from a 31-character set with a
 * weighted mod-31 check character; older IDs of 15 to 20 letters and digits still exist, so
 * those pass on format alone. A failing 18-character ID is shown and needs an explicit
 * confirmation (real codes that fail exist), never a silent pass or a hard refusal.
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

export function normalizeTaxId(raw: string): string {
  return raw.replace(/\s/g, '').toUpperCase()
}

/** The check character for the first 17 characters, or null if one is outside the charset. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i])
    if (v < 0) return null
    sum += v * WEIGHTS[i]
  }
  const c = 31 - (sum % 31)
  return USCC_CHARSET[c === 31 ? 0 : c]
}

export interface TaxIdCheck {
  taxId: string
  formatOk: boolean
  /** null: not an 18-character ID, so no checksum applies */
  checksumOk: boolean | null
  message: string
}

export function checkTaxId(raw: string): TaxIdCheck {
  const taxId = normalizeTaxId(raw)
  if (!/^[0-9A-Z]{15,20}$/.test(taxId)) {
    return { taxId, formatOk: false, checksumOk: null, message: '税号应为 15 到 20 位字母或数字，请核对' }
  }
  if (taxId.length !== 18) return { taxId, formatOk: true, checksumOk: null, message: '税号格式正确' }
  const expected = usccCheckChar(taxId.slice(0, 17))
  const ok = expected !== null && expected === taxId[17]
  return {
    taxId,
    formatOk: true,
    checksumOk: ok,
    message: ok ? '税号校验通过' : '税号校验未通过，请核对；确认无误可继续提交',
  }
}

/** For lists and logs: 9144********136T. */
export function maskTaxId(taxId: string | null): string | null {
  if (!taxId) return taxId
  if (taxId.length <= 8) return '****'
  return `${taxId.slice(0, 4)}${'*'.repeat(taxId.length - 8)}${taxId.slice(-4)}`
}
