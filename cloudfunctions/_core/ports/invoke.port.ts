/**
 * The one payload another function may hand the invoice worker: "advance this invoice now".
 * It names an existing invoice and asks for nothing the minute timer would not do anyway, so
 * a forged or repeated one can only make an invoice advance sooner, never differently.
 */
export interface IssueKick {
  kick: 'issue'
  invoiceId: string
}

/**
 * Starting another cloud function without waiting for it to finish (a direct invocation).
 *
 * payNotify answers the payment callback at once and leaves issuing to the invoice worker;
 * this port starts the worker for the one invoice just requested, so the person does not wait
 * for the next timer tick. A function is frozen as soon as it has answered, so the call must
 * be on its way before we answer: start() resolves once the platform has the call (WeChat
 * cloud: the request is sent and the platform is running the worker), not when the worker is
 * done, and rejects when the call was not handed over. Either way the minute timer stays the
 * safety net: a lost call delays an invoice by a minute, it never loses one.
 */
export interface InvokePort {
  startWorker(kick: IssueKick): Promise<void>
  /**
   * Starts the `batch` function on one batch job (issue 8), the same way: resolves once the call
   * is handed over. The batch timer is the safety net, so a lost start only delays the job.
   */
  startBatch?(kick: BatchKick): Promise<void>
}

/** "run this batch job now": names an existing job; the worker checks it is running and leased. */
export interface BatchKick {
  kick: 'batch'
  jobId: string
}
