import fs from 'node:fs'
import path from 'node:path'
import { indexTableMarkdown } from '../../../cloudfunctions/_core/adapters/wx/wx.indexes'

it('docs/deploy.md lists exactly the indexes the WeChat adapters rely on', () => {
  const doc = fs.readFileSync(path.resolve(__dirname, '../../../docs/deploy.md'), 'utf8')
  expect(doc).toContain(indexTableMarkdown())
})
