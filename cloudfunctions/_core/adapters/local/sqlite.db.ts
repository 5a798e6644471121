import Database from 'better-sqlite3'
import fs from 'node:fs'
import path from 'node:path'

export type Db = Database.Database

/**
 * The local cloud's database: one SQLite file in WAL mode. Each table mirrors a cloud
 * database collection; UNIQUE constraints play the part of the collection's unique indexes
 * and a conditional UPDATE the part of a single-document transaction.
 */
const MIGRATIONS: string[] = [
  `CREATE TABLE cards (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     card_no TEXT NOT NULL,
     nickname TEXT NOT NULL,
     created_at TEXT NOT NULL,
     UNIQUE (openid, card_no)
   );
   CREATE INDEX cards_owner ON cards (openid, created_at);

   CREATE TABLE topup_orders (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     client_token TEXT NOT NULL,
     card_id TEXT NOT NULL,
     card_no TEXT NOT NULL,
     card_nickname TEXT NOT NULL,
     amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
     status TEXT NOT NULL CHECK (status IN ('created', 'paid', 'closed')),
     created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     paid_at TEXT,
     closed_at TEXT,
     transaction_id TEXT,
     cash_fen INTEGER,
     paid_via TEXT,
     anomaly TEXT,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX topup_orders_owner ON topup_orders (openid, created_at DESC, id DESC);
   CREATE INDEX topup_orders_open ON topup_orders (status, created_at);

   CREATE TABLE topup_order_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     order_id TEXT NOT NULL,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX topup_order_events_order ON topup_order_events (order_id, seq);

   CREATE TABLE pay_notifications (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     out_trade_no TEXT NOT NULL,
     transaction_id TEXT NOT NULL,
     total_fee INTEGER NOT NULL,
     result_code TEXT NOT NULL,
     received_at TEXT NOT NULL,
     outcome TEXT NOT NULL
   );
   CREATE INDEX pay_notifications_order ON pay_notifications (out_trade_no);`,

  // Invoices: titles, settings, invoices and the order claim that keeps "one live invoice per order".
  `CREATE TABLE invoice_titles (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('personal', 'enterprise')),
     name TEXT NOT NULL,
     tax_id TEXT,
     address TEXT,
     phone TEXT,
     bank_name TEXT,
     bank_account TEXT,
     is_default INTEGER NOT NULL DEFAULT 0,
     tax_id_checksum_ok INTEGER,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX invoice_titles_owner ON invoice_titles (openid, created_at);
   CREATE UNIQUE INDEX invoice_titles_one_default ON invoice_titles (openid) WHERE is_default = 1;

   CREATE TABLE user_settings (
     openid TEXT PRIMARY KEY,
     auto_invoice INTEGER NOT NULL DEFAULT 0,
     default_email TEXT
   );

   ALTER TABLE topup_orders ADD COLUMN auto_invoice_title_id TEXT;
   ALTER TABLE topup_orders ADD COLUMN auto_invoice_email TEXT;
   CREATE INDEX topup_orders_paid ON topup_orders (openid, status, paid_at DESC, id DESC);

   CREATE TABLE invoices (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     client_token TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('requested', 'issuing', 'issued', 'failed')),
     source TEXT NOT NULL,
     title TEXT NOT NULL,
     email TEXT,
     amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
     order_ids TEXT NOT NULL,
     cards TEXT NOT NULL,
     requested_at TEXT NOT NULL,
     issued_at TEXT,
     invoice_no TEXT UNIQUE,
     attempts INTEGER NOT NULL DEFAULT 0,
     request_no TEXT,
     last_error TEXT,
     next_retry_at TEXT,
     lease_until TEXT,
     pdf_file_id TEXT, pdf_sha256 TEXT, pdf_bytes INTEGER,
     xml_file_id TEXT, xml_sha256 TEXT, xml_bytes INTEGER,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX invoices_owner ON invoices (openid, requested_at DESC, id DESC);
   CREATE INDEX invoices_owner_status ON invoices (openid, status, requested_at DESC, id DESC);
   CREATE INDEX invoices_due ON invoices (status, next_retry_at);

   -- The unique key behind "an order belongs to at most one live invoice".
   CREATE TABLE invoice_orders (
     order_id TEXT PRIMARY KEY,
     invoice_id TEXT NOT NULL REFERENCES invoices (id),
     openid TEXT NOT NULL,
     card_no TEXT NOT NULL,
     requested_at TEXT NOT NULL
   );
   CREATE INDEX invoice_orders_card ON invoice_orders (openid, card_no, requested_at DESC, invoice_id DESC);
   CREATE INDEX invoice_orders_invoice ON invoice_orders (invoice_id);

   CREATE TABLE invoice_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     invoice_id TEXT NOT NULL,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX invoice_events_invoice ON invoice_events (invoice_id, seq);

   CREATE TABLE mail_outbox (
     id TEXT PRIMARY KEY,
     invoice_id TEXT NOT NULL,
     openid TEXT NOT NULL,
     to_addr TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('issued', 'resend')),
     status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE UNIQUE INDEX mail_outbox_first ON mail_outbox (invoice_id) WHERE kind = 'issued';
   CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
   CREATE INDEX mail_outbox_invoice ON mail_outbox (invoice_id, created_at DESC);`,

  // Corrections (换开): the chain fields of an invoice, and the corrections themselves. A red
  // invoice claims no order, so "one live invoice per order" stays the invoice_orders key.
  `ALTER TABLE invoices ADD COLUMN color TEXT NOT NULL DEFAULT 'blue' CHECK (color IN ('blue', 'red'));
   ALTER TABLE invoices ADD COLUMN original_id TEXT;
   ALTER TABLE invoices ADD COLUMN reversed_by_id TEXT;
   ALTER TABLE invoices ADD COLUMN replaced_by_id TEXT;
   ALTER TABLE invoices ADD COLUMN correction_id TEXT;
   ALTER TABLE invoices ADD COLUMN correction_count INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE invoices ADD COLUMN confirmation_no TEXT;
   CREATE INDEX invoices_original ON invoices (original_id);

   CREATE TABLE invoice_corrections (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     invoice_id TEXT NOT NULL,
     client_token TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('requested', 'awaiting_buyer', 'red_issuing', 'reissuing', 'done', 'refused', 'lapsed')),
     -- the blue invoice id while active, the correction id once ended: one in progress per invoice
     active_key TEXT NOT NULL UNIQUE,
     reason_code TEXT NOT NULL,
     old_title TEXT NOT NULL,
     new_title TEXT NOT NULL,
     email TEXT,
     buyer_booked INTEGER NOT NULL,
     by_whom TEXT NOT NULL CHECK (by_whom IN ('user', 'staff')),
     confirmation_no TEXT,
     confirm_deadline TEXT,
     red_invoice_id TEXT,
     new_invoice_id TEXT,
     failure TEXT,
     next_check_at TEXT,
     requested_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX invoice_corrections_invoice ON invoice_corrections (invoice_id, requested_at DESC);
   CREATE INDEX invoice_corrections_status ON invoice_corrections (status, next_check_at);`,

  // Staff (helper 3): who holds a role, and the append-only, hash-chained audit trail of their
  // actions. seq is the place in the chain and its primary key, so two writers cannot both
  // append after the same record; the triggers make the trail append-only at the database.
  `CREATE TABLE staff_members (
     openid TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('viewer', 'agent', 'admin')),
     granted_by TEXT NOT NULL,
     granted_at TEXT NOT NULL
   );

   CREATE TABLE staff_audit (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     at TEXT NOT NULL,
     operator TEXT NOT NULL,
     via TEXT NOT NULL,
     role TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT NOT NULL,
     reason TEXT,
     before_digest TEXT,
     after_digest TEXT,
     prev_hash TEXT NOT NULL UNIQUE,
     hash TEXT NOT NULL
   );
   CREATE INDEX staff_audit_target ON staff_audit (target, seq DESC);
   CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;
   CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit BEGIN SELECT RAISE(ABORT, 'staff_audit is append-only'); END;

   CREATE INDEX topup_orders_anomaly ON topup_orders (created_at DESC) WHERE anomaly IS NOT NULL;`,

  // After-sales (helper 2): applications (补开), paper copies by post, tickets, and the notice
  // e-mail outbox. The record lives whole in doc (JSON); the columns are what queries and unique
  // keys need. paper_requests.active_key is the invoice id while a request is active, the
  // request's own id once it ended: one active request per invoice.
  `CREATE TABLE aftersales_applications (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     client_token TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('submitted', 'in_review', 'approved', 'done', 'rejected', 'withdrawn')),
     rev INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     doc TEXT NOT NULL,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX aftersales_applications_owner ON aftersales_applications (openid, created_at DESC, id DESC);
   CREATE INDEX aftersales_applications_status ON aftersales_applications (status, created_at, id);

   CREATE TABLE paper_requests (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     client_token TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('requested', 'printed', 'mailed', 'delivered', 'returned', 'cancelled')),
     rev INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     doc TEXT NOT NULL,
     invoice_id TEXT NOT NULL,
     active_key TEXT NOT NULL UNIQUE,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX paper_requests_owner ON paper_requests (openid, created_at DESC, id DESC);
   CREATE INDEX paper_requests_status ON paper_requests (status, created_at, id);
   CREATE INDEX paper_requests_invoice ON paper_requests (invoice_id);

   CREATE TABLE tickets (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     client_token TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
     rev INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     doc TEXT NOT NULL,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX tickets_owner ON tickets (openid, created_at DESC, id DESC);
   CREATE INDEX tickets_status ON tickets (status, created_at, id);

   CREATE TABLE notice_outbox (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     to_addr TEXT NOT NULL,
     subject TEXT NOT NULL,
     text_body TEXT NOT NULL,
     html_body TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at TEXT NOT NULL,
     last_error TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX notice_outbox_due ON notice_outbox (status, next_attempt_at);`,

  // OFD originals: the provider's OFD of an issued invoice, kept like its PDF and XML (none from
  // the sandbox, so the columns stay NULL there and on every invoice issued before).
  `ALTER TABLE invoices ADD COLUMN ofd_file_id TEXT;
   ALTER TABLE invoices ADD COLUMN ofd_sha256 TEXT;
   ALTER TABLE invoices ADD COLUMN ofd_bytes INTEGER;`,

  // Emergency notices (issue 10): banners staff set during an incident; never deleted, ended by ended_at.
  `CREATE TABLE notices (
     id TEXT PRIMARY KEY,
     level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'critical')),
     text TEXT NOT NULL,
     pages TEXT NOT NULL,
     from_at TEXT NOT NULL,
     until_at TEXT NOT NULL,
     ended_at TEXT,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX notices_until ON notices (until_at);`,

  // Who holds a lease (issue 10): "<pid>@<boot id>" of the process, so a restarted local cloud
  // releases at once the leases of a process that died instead of waiting for them to run out.
  `ALTER TABLE invoices ADD COLUMN lease_owner TEXT;
   ALTER TABLE mail_outbox ADD COLUMN lease_owner TEXT;`,

  // Reminders and the SMS channel (issue 9): a reminder is claimed under its unique key
  // (person, threshold, deadline day) before anything is sent, so a rerun never sends it twice;
  // a text message likewise under its key (issued:<invoice>, reminder:<key>); the phone a person
  // opted in with, and the verification code (hashed, expiring, rate-limited) of a typed number.
  `CREATE TABLE invoice_reminders (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     threshold INTEGER NOT NULL,
     deadline_day TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'sent')),
     channels TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );
   CREATE INDEX invoice_reminders_owner ON invoice_reminders (openid, created_at);
   CREATE TABLE sms_contacts (
     openid TEXT PRIMARY KEY,
     phone TEXT NOT NULL,
     opt_in INTEGER NOT NULL,
     via TEXT NOT NULL CHECK (via IN ('wechat', 'code')),
     verified_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE sms_codes (
     openid TEXT PRIMARY KEY,
     phone TEXT NOT NULL,
     code_hash TEXT NOT NULL,
     expires_at TEXT NOT NULL,
     attempts INTEGER NOT NULL,
     sends_in_window INTEGER NOT NULL,
     window_start TEXT NOT NULL,
     last_sent_at TEXT NOT NULL
   );
   CREATE TABLE sms_outbox (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     phone TEXT NOT NULL,
     text TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
     last_error TEXT,
     created_at TEXT NOT NULL,
     sent_at TEXT
   );`,
  // Exports, statements and 验真 (issue 8, helper G): export jobs, unique per owner and
  // clientToken (a retry finds the first job); rate-limit counters under a unique key (caller,
  // window); the invoices' file digests indexed for the authenticity check.
  `CREATE TABLE export_jobs (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     client_token TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
     selection TEXT NOT NULL,
     email TEXT,
     total INTEGER NOT NULL DEFAULT 0,
     done INTEGER NOT NULL DEFAULT 0,
     zip_file_id TEXT, zip_bytes INTEGER, zip_sha256 TEXT,
     mail TEXT,
     error TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     finished_at TEXT,
     lease_until TEXT,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX export_jobs_owner ON export_jobs (openid, created_at DESC, id DESC);
   CREATE TABLE rate_counters (
     key TEXT PRIMARY KEY,
     count INTEGER NOT NULL,
     first_at TEXT NOT NULL
   );
   CREATE INDEX invoices_pdf_sha256 ON invoices (pdf_sha256);
   CREATE INDEX invoices_xml_sha256 ON invoices (xml_sha256);
   CREATE INDEX invoices_ofd_sha256 ON invoices (ofd_sha256);`,

  // Enterprises and batch invoicing (issue 8): a card's group label (分组, a company's 部门);
  // batch jobs, unique per (owner, clientToken) so a repeated create finds the first job, and
  // their planned invoices, keyed by (job, index), each requested under its own clientToken.
  `ALTER TABLE cards ADD COLUMN group_label TEXT;

   CREATE TABLE batch_jobs (
     id TEXT PRIMARY KEY,
     openid TEXT NOT NULL,
     client_token TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled')),
     spec TEXT NOT NULL,
     title_name TEXT NOT NULL,
     mode TEXT NOT NULL CHECK (mode IN ('per_card', 'mixed')),
     period_label TEXT NOT NULL,
     cards_label TEXT NOT NULL,
     email TEXT,
     order_count INTEGER NOT NULL,
     total_fen INTEGER NOT NULL,
     invoice_count INTEGER NOT NULL,
     next_index INTEGER NOT NULL DEFAULT 0,
     invoices_created INTEGER NOT NULL DEFAULT 0,
     orders_invoiced INTEGER NOT NULL DEFAULT 0,
     orders_skipped INTEGER NOT NULL DEFAULT 0,
     failed INTEGER NOT NULL DEFAULT 0,
     lease_until TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     finished_at TEXT,
     UNIQUE (openid, client_token)
   );
   CREATE INDEX batch_jobs_owner ON batch_jobs (openid, created_at);
   CREATE INDEX batch_jobs_status ON batch_jobs (status, created_at);

   CREATE TABLE batch_items (
     job_id TEXT NOT NULL REFERENCES batch_jobs (id),
     idx INTEGER NOT NULL,
     order_ids TEXT NOT NULL,
     card_nos TEXT NOT NULL,
     amount_fen INTEGER NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'requested', 'skipped', 'failed')),
     invoice_id TEXT,
     reason TEXT,
     PRIMARY KEY (job_id, idx)
   );`,

  // Failed subscribe sends for staff health (issue 10): one row per template, errcode and UTC
  // hour, incremented in place, so a storm of failures stays a handful of rows.
  `CREATE TABLE subscribe_failures (
     template_key TEXT NOT NULL,
     errcode INTEGER NOT NULL,
     hour TEXT NOT NULL,
     count INTEGER NOT NULL,
     last_at TEXT NOT NULL,
     last_errmsg TEXT NOT NULL,
     PRIMARY KEY (template_key, errcode, hour)
   );
   CREATE INDEX subscribe_failures_hour ON subscribe_failures (hour);`,
]

export function openDb(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v])
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}

/** SQLite reports a unique violation as SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY with the columns in the message. */
export function uniqueViolation(e: unknown): string | null {
  const err = e as { code?: string; message?: string }
  if (err?.code !== 'SQLITE_CONSTRAINT_UNIQUE' && err?.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return null
  return err.message ?? 'unique'
}

/**
 * Prepared statements by SQL text, made once per connection: for queries built at run time
 * (a conditional update's column list, a filter combination) and for classes that keep SQL
 * inline. Preparing costs far more than running a small statement.
 */
export function statementCache(db: Db): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>()
  return (sql) => {
    let st = cache.get(sql)
    if (!st) cache.set(sql, (st = db.prepare(sql)))
    return st
  }
}
