/**
 * The bench's mail server, in its own process like a real SMTP server: the invoice pipeline
 * is measured without the cost of receiving and parsing its own mail.
 */
import { startSmtpCapture } from '../scripts/local-cloud/smtp-capture'

void startSmtpCapture({ dir: process.argv[2], host: '127.0.0.1', port: 0 }).then((smtp) => {
  process.stdout.write(`${smtp.port}\n`)
  process.on('message', (m) => {
    if (m === 'count') process.send?.(smtp.list({ limit: 100000 }).length)
  })
  process.on('disconnect', () => void smtp.close().then(() => process.exit(0)))
})
