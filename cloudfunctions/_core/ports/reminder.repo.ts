import type { ReminderThreshold } from '../domain/reminder'

/**
 * One reminder about a request window closing: its id is the unique (person, threshold, deadline
 * day) key `<openid>:<30|7>:<yyyy-mm-dd>`. The timer also claims `<openid>:day:<yyyy-mm-dd>` (the
 * run day, UTC+8) before sending, so overlapping runs send a person at most one reminder a day.
 */
export interface ReminderRecord {
  id: string
  openid: string
  threshold: ReminderThreshold
  /** yyyy-mm-dd (UTC+8) the window ends */
  deadlineDay: string
  /** claimed before anything is sent; sent once the channels have been tried */
  status: 'claimed' | 'sent'
  /** the channels it went out on (subscribe, email, sms), null until sent */
  channels: string[] | null
  createdAt: string
  sentAt: string | null
}

/**
 * The reminders already claimed. `claim` is the one atomic step that decides who sends: an
 * insert under the unique id, true for the single caller that wrote it. A rerun after a crash
 * finds the claim and sends nothing (at most once: a crash between claim and send loses that
 * one reminder rather than risking a second).
 */
export interface ReminderRepo {
  claim(rec: ReminderRecord): Promise<boolean>
  markSent(id: string, channels: string[], at: string): Promise<void>
  findById(id: string): Promise<ReminderRecord | null>
  /** a person's reminders, newest first (staff and tests) */
  listByOwner(openid: string, limit: number): Promise<ReminderRecord[]>
}
