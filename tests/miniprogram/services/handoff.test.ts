import fs from 'node:fs'
import path from 'node:path'
import { handOff, takeHandOff } from '../../../miniprogram/src/services/handoff'

/** The one store pages hand things through (no module variables in pages or services). */
describe('page hand-off store', () => {
  it('gives a handed value once, then nothing', () => {
    expect(takeHandOff('invoice.preselectOrder')).toBeNull()
    handOff('invoice.preselectOrder', 'WT1')
    handOff('invoice.preselectOrder', 'WT2') // the later hand-off wins
    expect(takeHandOff('invoice.preselectOrder')).toBe('WT2')
    expect(takeHandOff('invoice.preselectOrder')).toBeNull()
  })

  it('keeps keys apart', () => {
    handOff('invoice.listChanged', true)
    handOff('title.created', 'T1')
    expect(takeHandOff('title.created')).toBe('T1')
    expect(takeHandOff('invoice.listChanged')).toBe(true)
    expect(takeHandOff('invoice.listChanged')).toBeNull()
  })

  it('is the only module-level state the invoice pages and services hand over with', () => {
    const root = path.join(__dirname, '../../../miniprogram/src')
    // (profile.service keeps a cache of template ids, which is no hand-off)
    const files = ['services/invoice.service.ts', ...fs.readdirSync(path.join(root, 'pages/invoice')).map((f) => `pages/invoice/${f}`)]
    const lets = files.filter((f) => /^let /m.test(fs.readFileSync(path.join(root, f), 'utf8')))
    expect(lets).toEqual([])
    expect(fs.readFileSync(path.join(root, 'services/profile.service.ts'), 'utf8')).not.toMatch(/^let lastCreatedTitleId/m)
  })
})
