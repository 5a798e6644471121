import { cloudPathOf, wxStorage } from '../../../cloudfunctions/_core/adapters/wx/wx.storage'
import type { StoragePort } from '../../../cloudfunctions/_core/ports/storage.port'
import { FakeWxCloud } from '../../fakes/wx-cloud.fake'

const ALICE = 'oAlice0000000000000000000001'
const BOB = 'oBob00000000000000000000000002'

let cloud: FakeWxCloud
let storage: StoragePort
beforeEach(() => {
  cloud = new FakeWxCloud()
  storage = wxStorage(cloud)
})

const put = async (cloudPath: string, text = 'pdf') => (await storage.upload({ cloudPath, content: Buffer.from(text) })).fileID

describe('wxStorage', () => {
  it('uploads under the given path and downloads the same bytes by fileID', async () => {
    const fileID = await put(`users/${ALICE}/invoices/a.pdf`, '%PDF-1.7 发票')
    expect(cloudPathOf(fileID)).toBe(`users/${ALICE}/invoices/a.pdf`)
    expect((await storage.download(fileID)).toString()).toBe('%PDF-1.7 发票')
  })

  it('refuses cloud paths that escape or are absolute, like the local storage', async () => {
    for (const bad of ['../x.pdf', '/users/a/x.pdf', 'users/../../x', '', 'a\0b']) {
      await expect(storage.upload({ cloudPath: bad, content: Buffer.from('x') })).rejects.toThrow('STORAGE_INVALID_PATH')
    }
    expect(cloud.files.size).toBe(0)
  })

  it("mints links only for the owner's files, in the caller's order, passing maxAge through", async () => {
    const mine = await put(`users/${ALICE}/a.pdf`)
    const theirs = await put(`users/${BOB}/b.pdf`)
    const gone = cloud.fileIdOf(`users/${ALICE}/deleted.pdf`)
    const sneaky = cloud.fileIdOf(`users/${ALICE}/../${BOB}/b.pdf`)
    const prefixTwin = await put(`users/${ALICE}x/c.pdf`)
    const list = await storage.tempUrls([theirs, mine, 'not-a-file-id', gone, sneaky, prefixTwin], { openid: ALICE, maxAgeSeconds: 600 })
    expect(list.map((x) => x.fileID)).toEqual([theirs, mine, 'not-a-file-id', gone, sneaky, prefixTwin])
    expect(list.map((x) => x.url !== null)).toEqual([false, true, false, false, false, false])
    expect(list[1].url).toMatch(/^https:\/\//)
    // only the owned ones were even asked for
    expect(cloud.storageCalls).toEqual([{ api: 'getTempFileURL', count: 2, maxAges: [600, 600] }])
  })

  it('asks WeChat for at most 50 links per call and answers all of them', async () => {
    const ids: string[] = []
    for (let i = 0; i < 120; i++) ids.push(await put(`users/${ALICE}/f${i}.pdf`))
    const list = await storage.tempUrls(ids, { openid: ALICE, maxAgeSeconds: 300 })
    expect(list).toHaveLength(120)
    expect(list.every((x) => x.url)).toBe(true)
    expect(cloud.storageCalls.map((c) => c.count)).toEqual([50, 50, 20])
  })

  it('answers all null for an openid that is not a single path segment, without calling WeChat', async () => {
    const theirs = await put(`users/${BOB}/b.pdf`)
    expect(await storage.tempUrls([theirs], { openid: `${BOB}/..`, maxAgeSeconds: 60 })).toEqual([{ fileID: theirs, url: null }])
    expect(await storage.tempUrls([theirs], { openid: '', maxAgeSeconds: 60 })).toEqual([{ fileID: theirs, url: null }])
    expect(cloud.storageCalls).toEqual([])
  })

  it('deletes in batches of 50 and ignores files already gone', async () => {
    const ids: string[] = []
    for (let i = 0; i < 60; i++) ids.push(await put(`users/${ALICE}/f${i}.pdf`))
    await storage.remove([...ids, cloud.fileIdOf('users/x/never.pdf')])
    expect(cloud.files.size).toBe(0)
    expect(cloud.storageCalls.map((c) => c.count)).toEqual([50, 11])
  })

  it('throws when WeChat fails to delete a file for another reason', async () => {
    const id = await put(`users/${ALICE}/a.pdf`)
    jest.spyOn(cloud, 'deleteFile').mockResolvedValueOnce({ fileList: [{ fileID: id, status: -503002, errMsg: 'STORAGE_EXCEED_AUTHORITY' }] })
    await expect(storage.remove([id])).rejects.toThrow(/deleteFile failed for 1 file/)
  })
})
