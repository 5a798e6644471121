export interface MailAttachment {
  filename: string
  content: Buffer
  contentType: string
}

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html?: string
  attachments: MailAttachment[]
  /**
   * Stable for one outbox item across its attempts: becomes the Message-ID's local part
   * (`<key@sender-domain>`), so a repeat of the same item carries the same Message-ID and the
   * receiving side (and our logs, and the local capture server) can tell it is one message.
   * Letters, digits, '.', '_' and '-' only.
   */
  idempotencyKey?: string
}

/** Sends one e-mail; throws when the server did not accept it (the outbox retries). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>
  /**
   * Whether the server already accepted a message with this idempotency key: true / false, or
   * null when it cannot be asked. Real SMTP servers cannot be asked (the mailer has none); the
   * local capture server can.
   */
  accepted?(idempotencyKey: string): Promise<boolean | null>
}
