import fs from 'node:fs'
import type { Db } from './sqlite.db'

/**
 * Who holds a lease in the local cloud: this process's pid and the machine's boot id
 * ("<pid>@<boot id>"). A pid alone could be reused after a reboot; with the boot id, an owner
 * from before a reboot reads as dead whatever process has its pid now.
 */
function bootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return 'noboot' // no /proc (macOS, Windows): the pid check alone
  }
}

const BOOT_ID = bootId()
export const LEASE_OWNER = `${process.pid}@${BOOT_ID}`

/** Whether the process that wrote `owner` may still be running. */
export function leaseOwnerAlive(owner: string): boolean {
  const m = /^(\d+)@(.+)$/.exec(owner)
  if (!m) return false
  if (m[2] !== BOOT_ID) return false
  const pid = Number(m[1])
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: alive, someone else's; ESRCH: gone
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * At the start of the local cloud: the leases of processes that died (kill -9, a crash) are
 * released at once, so the next worker run takes the work up instead of waiting for the lease
 * to run out (60 s for an invoice, 2 min for a mail). An invoice's lease is cleared; a claimed
 * mail becomes due now (its attempts count stays, so the sender still asks the mail server
 * whether the dead process's attempt went through). Leases of live processes are left alone.
 * Answers how many of each were released.
 */
export function releaseDeadLeases(db: Db, now: Date = new Date()): { invoices: number; mails: number } {
  const owners = db
    .prepare<[], { owner: string }>(
      `SELECT lease_owner AS owner FROM invoices WHERE lease_owner IS NOT NULL
       UNION SELECT lease_owner AS owner FROM mail_outbox WHERE lease_owner IS NOT NULL`,
    )
    .all()
    .map((r) => r.owner)
    .filter((o) => !leaseOwnerAlive(o))
  const freeInvoice = db.prepare('UPDATE invoices SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = ?')
  const freeMail = db.prepare(
    `UPDATE mail_outbox SET next_attempt_at = CASE WHEN status = 'pending' AND next_attempt_at > @now THEN @now ELSE next_attempt_at END,
       lease_owner = NULL WHERE lease_owner = @owner`,
  )
  const out = { invoices: 0, mails: 0 }
  db.transaction(() => {
    for (const owner of owners) {
      out.invoices += freeInvoice.run(owner).changes
      out.mails += freeMail.run({ owner, now: now.toISOString() }).changes
    }
  })()
  return out
}
