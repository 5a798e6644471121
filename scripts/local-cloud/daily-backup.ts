import path from 'node:path'
import type { Logger } from '../../cloudfunctions/_core/ports/runtime.port'
import { backupLocal, pruneSnapshots } from '../backup/local-snapshot'
import { nextFire, parseCron, type Cron } from './cron'

/**
 * The local cloud's daily backup: the same snapshot as `npm run backup` (scripts/backup), taken
 * in-process while the cloud runs (SQLite's online backup, then storage), into LOCAL_BACKUP_DIR
 * (default .backups/), keeping the newest LOCAL_BACKUP_KEEP (default 7). Scheduled by
 * server.ts next to the timer triggers when timers are on (LOCAL_BACKUP_CRON, default 03:30
 * UTC+8; 'off' turns it off). A failure is logged and answered, never thrown: a backup that
 * fails must not take the cloud down with it.
 */

export interface LocalBackupSettings {
  /** null: off */
  cron: Cron | null
  outDir: string
  keep: number
}

export const DEFAULT_BACKUP_CRON = '0 30 3 * * * *'
export const DEFAULT_BACKUP_KEEP = 7

/** The settings from the environment; relative dirs are taken from `root` (the repository). */
export function localBackupSettings(env: Record<string, string | undefined>, root: string): LocalBackupSettings {
  const cronText = (env.LOCAL_BACKUP_CRON ?? '').trim() || DEFAULT_BACKUP_CRON
  const keep = Number(env.LOCAL_BACKUP_KEEP || DEFAULT_BACKUP_KEEP)
  return {
    cron: cronText.toLowerCase() === 'off' ? null : parseCron(cronText),
    outDir: path.resolve(root, env.LOCAL_BACKUP_DIR || '.backups'),
    keep: Number.isInteger(keep) && keep >= 1 ? keep : DEFAULT_BACKUP_KEEP,
  }
}

export type LocalBackupResult = { ok: true; snapshot: string; files: number; problems: string[]; removed: string[] } | { ok: false; error: string }

/** One run of the daily backup. Never throws. */
export async function runLocalBackup(opts: { dataDir: string; outDir: string; keep: number; log: Logger; now?: Date }): Promise<LocalBackupResult> {
  try {
    const { dir, manifest } = await backupLocal(opts.dataDir, opts.outDir, opts.now ?? new Date())
    const removed = pruneSnapshots(opts.outDir, opts.keep)
    const fields = { snapshot: dir, files: manifest.files.length, removed: removed.length, keep: opts.keep }
    // a snapshot of damaged data is kept (better than none), but the on-call engineer must hear of it
    if (manifest.problems.length) opts.log.warn('local backup written; the live data has problems', { ...fields, problems: manifest.problems.join('; ') })
    else opts.log.info('local backup written', fields)
    return { ok: true, snapshot: dir, files: manifest.files.length, problems: manifest.problems, removed }
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e)
    opts.log.error('local backup failed', { dataDir: opts.dataDir, outDir: opts.outDir, error })
    return { ok: false, error }
  }
}

/**
 * Schedules the daily backup (server.ts, when timers are on). A bad setting is logged and the
 * backup stays off; the timers go into `timers` so that close() clears them. One run at a time.
 */
export function scheduleLocalBackup(opts: {
  dataDir: string
  env: Record<string, string | undefined>
  root: string
  log: Logger
  now: () => Date
  timers: NodeJS.Timeout[]
}): LocalBackupSettings | null {
  let settings: LocalBackupSettings
  try {
    settings = localBackupSettings(opts.env, opts.root)
  } catch (e) {
    opts.log.error('local backup not scheduled: bad LOCAL_BACKUP_CRON', { error: e instanceof Error ? e.message : String(e) })
    return null
  }
  const cron = settings.cron
  if (!cron) return settings
  let running = false
  const schedule = () => {
    const next = nextFire(cron, opts.now())
    if (!next) return
    const timer = setTimeout(
      () => {
        if (running) return schedule()
        running = true
        void runLocalBackup({ dataDir: opts.dataDir, outDir: settings.outDir, keep: settings.keep, log: opts.log }).finally(() => {
          running = false
          schedule()
        })
      },
      Math.min(Math.max(next.getTime() - opts.now().getTime(), 0), 2 ** 31 - 1),
    )
    timer.unref()
    opts.timers.push(timer)
  }
  schedule()
  return settings
}
