import { NuonuoProvider } from '../adapters/nuonuo/nuonuo.provider'
import type { AppConfig } from '../config'
import type { DocumentRenderer } from '../ports/document.port'
import { ProviderUnavailableError, type InvoiceProvider } from '../ports/provider.port'
import type { Logger } from '../ports/runtime.port'

/**
 * Who issues in WeChat cloud, by configuration (INVOICE_PROVIDER):
 * - nuonuo: 诺诺开放平台, the licensed provider;
 * - sandbox with INVOICE_ALLOW_SANDBOX=true: the database sandbox, for a test environment, and then
 *   every document it gets is marked 测试样张 非正式发票 (`sample`);
 * - sandbox without that allowance: nobody. A made-up number with the seller's name on it must
 *   never reach a person as an invoice, so every call answers "unavailable" (the invoice waits,
 *   nothing is failed or numbered) and the startup check (runtime/startup-check.ts) says why.
 */
export function chooseWxProvider(
  config: AppConfig,
  sandbox: () => InvoiceProvider,
  log: Logger,
): { provider: InvoiceProvider; sample: boolean; kind: 'nuonuo' | 'sandbox' | 'refused' } {
  if (config.provider.kind === 'nuonuo') {
    const provider = new NuonuoProvider({
      nuonuo: config.provider.nuonuo,
      seller: config.invoice.seller,
      redConfirmHours: config.afterSales.redConfirmHours,
      log,
    })
    return { provider, sample: false, kind: 'nuonuo' }
  }
  if (config.provider.allowSandboxInCloud) return { provider: sandbox(), sample: true, kind: 'sandbox' }
  return { provider: refusedSandbox(), sample: false, kind: 'refused' }
}

export const SANDBOX_REFUSED = '云环境不使用沙箱开票：请设置 INVOICE_PROVIDER=nuonuo（测试环境可设 INVOICE_ALLOW_SANDBOX=true）'

function refusedSandbox(): InvoiceProvider {
  const refuse = async (): Promise<never> => {
    throw new ProviderUnavailableError(SANDBOX_REFUSED)
  }
  return { submit: refuse, query: refuse, applyRedConfirmation: refuse, queryRedConfirmation: refuse }
}

/** Every document of a sandbox deployment is a marked sample, whoever asks (pipeline, preview). */
export function sampleRenderer(inner: DocumentRenderer): DocumentRenderer {
  return {
    renderPdf: (doc, opts) => inner.renderPdf(doc, { ...opts, sample: true }),
    renderXml: (doc, opts) => inner.renderXml(doc, { ...opts, sample: true }),
  }
}
