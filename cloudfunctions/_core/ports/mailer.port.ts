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
}

/** Sends one e-mail; throws when the server did not accept it (the outbox retries). */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>
}
