import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { jsonLogger } from '../../cloudfunctions/_core/runtime/logger'

describe('the default log sink', () => {
  const saved = process.env.LOG_FILE
  afterEach(() => {
    process.env.LOG_FILE = saved
  })

  it('writes to LOG_FILE, and recreates its folder when it went away instead of failing the caller', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wt-log-')), 'gone')
    process.env.LOG_FILE = path.join(dir, 'worker-1.log')
    const log = jsonLogger()
    expect(() => log.info('first', { email: 'someone@example.com' })).not.toThrow()
    fs.rmSync(dir, { recursive: true, force: true })
    expect(() => log.error('second')).not.toThrow()
    const lines = fs.readFileSync(process.env.LOG_FILE, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', msg: 'second' })
  })

  it('masks personal data in what it writes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-log-'))
    process.env.LOG_FILE = path.join(dir, 'w.log')
    jsonLogger().info('mail', { to: 'someone@example.com', phone: '13812345678' })
    const text = fs.readFileSync(process.env.LOG_FILE, 'utf8')
    expect(text).not.toContain('someone@example.com')
    expect(text).not.toContain('13812345678')
  })
})
