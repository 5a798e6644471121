import type { InvoiceDetail } from '@shared/domain'
import { formatTime } from '../../services/format'

/**
 * Why an invoice is not issued, in plain words. The provider's own failure text (lastError) is
 * for staff views only: it is technical, sometimes English, and says nothing a citizen can act on.
 */
export function failureText(inv: InvoiceDetail): string {
  if (inv.nextRetryAt) return `开票平台暂时没有开出这张发票，系统将于 ${formatTime(inv.nextRetryAt)} 自动再试，无需重新申请。`
  return '这张发票暂时没有开出来，客服会跟进处理；着急的话，请在下方联系客服。'
}
