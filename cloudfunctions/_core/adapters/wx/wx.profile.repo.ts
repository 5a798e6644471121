import type { TitleKind, UserSettings } from '../../../../types/domain'
import type { SettingsRepo, StoredTitle, TitleRepo } from '../../ports/profile.repo'
import type { WxDatabase, WxDoc } from './wx-cloud.types'
import { getUpTo, isDuplicateWrite, str, strOrNull } from './wx.db'
import { WX_COLLECTIONS } from './wx.indexes'

/** MAX_TITLES_PER_USER defaults to 20; this only bounds the pages a corrupted owner could cost. */
const MAX_TITLES_LISTED = 1000

/**
 * How many times a default change is tried again after losing the default slot to a
 * concurrent change. Each retry means another call made a title default in between, so
 * running out takes a storm of taps by one person; the caller then gets the error.
 */
const MAX_DEFAULT_ROUNDS = 8

/**
 * The value of the unique `defaultSlot` field: the same for every default title of one owner,
 * different for every other title. The unique index uniq_defaultSlot therefore admits at most
 * one default per owner, which is what SQLite's partial unique index (openid WHERE is_default)
 * does; the cloud database has no partial indexes, and a null for "not default" would collide
 * with every other null in a unique index.
 */
const defaultSlot = (openid: string) => `default:${openid}`
const ownSlot = (id: string) => `title:${id}`

const KINDS: readonly TitleKind[] = ['personal', 'enterprise']

function kindOf(d: WxDoc): TitleKind {
  if (!KINDS.includes(d.kind as TitleKind)) throw new Error(`invoice_titles/${d._id}: unknown kind ${String(d.kind)}`)
  return d.kind as TitleKind
}

const fromDoc = (d: WxDoc): StoredTitle => ({
  id: d._id,
  openid: str(d.openid),
  kind: kindOf(d),
  name: str(d.name),
  taxId: strOrNull(d.taxId),
  address: strOrNull(d.address),
  phone: strOrNull(d.phone),
  bankName: strOrNull(d.bankName),
  bankAccount: strOrNull(d.bankAccount),
  isDefault: d.isDefault === true,
  taxIdChecksumOk: typeof d.taxIdChecksumOk === 'boolean' ? d.taxIdChecksumOk : null,
  createdAt: str(d.createdAt),
  updatedAt: str(d.updatedAt),
})

/** The fields save() writes; `_id`, `openid` and `createdAt` are fixed when the title is made. */
const mutableFields = (t: StoredTitle) => ({
  kind: t.kind,
  name: t.name,
  taxId: t.taxId,
  address: t.address,
  phone: t.phone,
  bankName: t.bankName,
  bankAccount: t.bankAccount,
  isDefault: t.isDefault,
  defaultSlot: t.isDefault ? defaultSlot(t.openid) : ownSlot(t.id),
  taxIdChecksumOk: t.taxIdChecksumOk,
  updatedAt: t.updatedAt,
})

/**
 * Invoice titles in `invoice_titles` (`_id` = title id). Behaves like sqliteTitleRepo.
 *
 * One default per owner: SQLite clears the old default and sets the new one in a transaction.
 * The cloud database cannot span two documents atomically, so the rule is held by the unique
 * index on `defaultSlot` instead: a default title holds the slot `default:<openid>`, every
 * other title its own `title:<id>`. Making a title default = move the current holder (if any)
 * back to its own slot, then take the slot with a conditional update. Two concurrent changes
 * can never both hold it: the second write is refused (DATABASE_DUPLICATE_WRITE), and that
 * caller clears the winner and tries again, so the last one to finish is the default. Between
 * "clear" and "take" the owner has no default for a moment (one round trip); two defaults
 * never exist, not even for a moment.
 */
export function wxTitleRepo(db: WxDatabase): TitleRepo {
  const _ = db.command
  const titles = () => db.collection(WX_COLLECTIONS.titles)

  const find = async (id: string): Promise<WxDoc | null> => {
    const { data } = await titles().where({ _id: id }).limit(1).get()
    return data[0] ?? null
  }

  /** Moves the owner's current default, unless it is `keepId`, back to its own slot. */
  async function clearDefault(openid: string, keepId: string): Promise<void> {
    const { data } = await titles()
      .where({ defaultSlot: defaultSlot(openid) })
      .limit(1)
      .get()
    const holder = data[0]
    if (!holder || holder._id === keepId) return
    // Conditional on still holding the slot: a concurrent change may have moved it already.
    await titles()
      .where({ _id: holder._id, defaultSlot: defaultSlot(openid) })
      .update({ data: { isDefault: false, defaultSlot: ownSlot(holder._id) } })
  }

  /**
   * One attempt at writing the whole title. 'slot': the default slot is held by another
   * title (clear it and try again); 'raced': the document appeared between our update and
   * our add (update it); 'foreign': the id belongs to another owner, left alone like
   * SQLite's upsert does (the caller checked ownership already).
   */
  async function write(t: StoredTitle): Promise<'ok' | 'slot' | 'raced' | 'foreign'> {
    const fields = mutableFields(t)
    try {
      // `rev` changes on every write, so stats.updated counts a match even when nothing else changed.
      const res = await titles()
        .where({ _id: t.id, openid: t.openid })
        .update({ data: { ...fields, rev: _.inc(1) } })
      if (res.stats.updated === 1) return 'ok'
    } catch (e) {
      if (isDuplicateWrite(e)) return 'slot'
      throw e
    }
    try {
      await titles().add({ data: { _id: t.id, openid: t.openid, ...fields, createdAt: t.createdAt, rev: 1 } })
      return 'ok'
    } catch (e) {
      if (!isDuplicateWrite(e)) throw e
      const existing = await find(t.id)
      if (!existing) return 'slot'
      return existing.openid === t.openid ? 'raced' : 'foreign'
    }
  }

  async function save(t: StoredTitle): Promise<void> {
    for (let round = 1; ; round++) {
      if (t.isDefault) await clearDefault(t.openid, t.id)
      const outcome = await write(t)
      if (outcome === 'ok' || outcome === 'foreign') return
      if (round >= MAX_DEFAULT_ROUNDS) throw new Error(`invoice_titles/${t.id}: gave up after ${round} concurrent default changes`)
    }
  }

  async function setDefault(openid: string, id: string): Promise<boolean> {
    for (let round = 1; ; round++) {
      await clearDefault(openid, id)
      try {
        const res = await titles()
          .where({ _id: id, openid })
          .update({ data: { isDefault: true, defaultSlot: defaultSlot(openid), rev: _.inc(1) } })
        return res.stats.updated === 1
      } catch (e) {
        if (!isDuplicateWrite(e)) throw e
        // Another title took the slot after we cleared it: clear that one and try again.
        if (round >= MAX_DEFAULT_ROUNDS) throw new Error(`invoice_titles/${id}: gave up after ${round} concurrent default changes`)
      }
    }
  }

  return {
    // Default first, then oldest first, like SQLite (is_default DESC, created_at, id).
    listByOwner: async (openid) =>
      (await getUpTo(titles().where({ openid }).orderBy('isDefault', 'desc').orderBy('createdAt', 'asc').orderBy('_id', 'asc'), MAX_TITLES_LISTED)).map(
        fromDoc,
      ),

    countByOwner: async (openid) => (await titles().where({ openid }).count()).total,

    findById: async (id) => {
      const d = await find(id)
      return d ? fromDoc(d) : null
    },

    save: async (t) => save(t),

    // Save, then count: of two saves racing for the last place, the one that counts second sees
    // both and takes its own back (both may; the person taps again), so the owner never keeps
    // more than `max`. One count, as the check before it used to be. A default taken back hands
    // the default to the oldest title left.
    insertWithinLimit: async (t, max) => {
      await save(t)
      if ((await titles().where({ openid: t.openid }).count()).total <= max) return true
      await titles().where({ _id: t.id, openid: t.openid }).remove()
      if (t.isDefault) {
        const { data } = await titles().where({ openid: t.openid }).orderBy('createdAt', 'asc').orderBy('_id', 'asc').limit(1).get()
        if (data[0]) await setDefault(t.openid, data[0]._id)
      }
      return false
    },

    // The owner is in the condition: functions bypass the security rules.
    remove: async (openid, id) => (await titles().where({ _id: id, openid }).remove()).stats.removed === 1,

    setDefault: async (openid, id) => setDefault(openid, id),
  }
}

const DEFAULT_SETTINGS: UserSettings = { autoInvoice: false, defaultEmail: null }

const settingsFromDoc = (d: WxDoc | undefined): UserSettings => ({
  autoInvoice: d?.autoInvoice === true,
  defaultEmail: strOrNull(d?.defaultEmail),
})

/**
 * User settings in `user_settings`, `_id` = openid (so there is one document per user without
 * an index). update() writes only the fields in the patch, each one atomically, so two
 * concurrent updates of different fields both land (SQLite gets there with a transaction
 * around read-merge-write). A first update creates the document; if a concurrent first update
 * created it in between, ours is applied to that document.
 */
export function wxSettingsRepo(db: WxDatabase): SettingsRepo {
  const _ = db.command
  const settings = () => db.collection(WX_COLLECTIONS.settings)

  const read = async (openid: string): Promise<UserSettings> => {
    const { data } = await settings().where({ _id: openid }).limit(1).get()
    return settingsFromDoc(data[0])
  }

  return {
    get: read,

    update: async (openid, patch) => {
      const fields: Partial<UserSettings> = {}
      if (patch.autoInvoice !== undefined) fields.autoInvoice = patch.autoInvoice === true
      if (patch.defaultEmail !== undefined) fields.defaultEmail = patch.defaultEmail ?? null
      if (Object.keys(fields).length === 0) return read(openid)
      const apply = async () =>
        (
          await settings()
            .where({ _id: openid })
            .update({ data: { ...fields, rev: _.inc(1) } })
        ).stats.updated === 1
      if (!(await apply())) {
        try {
          await settings().add({ data: { _id: openid, ...DEFAULT_SETTINGS, ...fields, rev: 1 } })
        } catch (e) {
          if (!isDuplicateWrite(e)) throw e
          await apply() // created concurrently: apply ours on top
        }
      }
      return read(openid)
    },
  }
}
