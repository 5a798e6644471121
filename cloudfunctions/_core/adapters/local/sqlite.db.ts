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
