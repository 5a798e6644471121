import { startTestCloud, type TestCloud } from '../helpers/local-cloud'

let cloud: TestCloud
beforeAll(async () => {
  cloud = await startTestCloud()
})
afterAll(() => cloud.close())
afterEach(() => cloud.dev('/dev/api/clock', { offsetMs: 0 }))

describe('local cloud storage: fileIDs and owner-only temporary URLs', () => {
  it('keeps a file by fileID and serves it only through a fresh link, only to its owner', async () => {
    const alice = await cloud.login('存储甲')
    const bob = await cloud.login('存储乙')
    const storage = cloud.runtime.storage
    const content = Buffer.from('%PDF-1.7 发票样例')
    const { fileID } = await storage.upload({ cloudPath: `users/${alice.openid}/invoices/a.pdf`, content })
    expect(fileID).toMatch(/^cloud:\/\/local\.local-bucket\/users\//)
    expect(await storage.download(fileID)).toEqual(content)

    const [{ url }] = await storage.tempUrls([fileID], { openid: alice.openid, maxAgeSeconds: 600 })
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\//)
    const mine = await fetch(url!, { headers: { Authorization: `Bearer ${alice.token}` } })
    expect(mine.status).toBe(200)
    expect(Buffer.from(await mine.arrayBuffer())).toEqual(content)

    // someone else holding the link, or nobody signed in, gets nothing
    expect((await fetch(url!, { headers: { Authorization: `Bearer ${bob.token}` } })).status).toBe(403)
    expect((await fetch(url!)).status).toBe(403)
    // nor can they mint one
    expect(await storage.tempUrls([fileID], { openid: bob.openid, maxAgeSeconds: 600 })).toEqual([{ fileID, url: null }])
    // a tampered signature fails
    expect((await fetch(url!.replace(/sig=[^&]+/, 'sig=AAAA'), { headers: { Authorization: `Bearer ${alice.token}` } })).status).toBe(403)
    // and the link expires
    await cloud.dev('/dev/api/clock', { offsetMs: 601_000 })
    expect((await fetch(url!, { headers: { Authorization: `Bearer ${alice.token}` } })).status).toBe(410)
  })

  it('refuses paths that climb out of the storage root', async () => {
    const storage = cloud.runtime.storage
    await expect(storage.upload({ cloudPath: '../escape.txt', content: Buffer.from('x') })).rejects.toThrow('STORAGE_INVALID_PATH')
    await expect(storage.upload({ cloudPath: 'users/a/../../../escape.txt', content: Buffer.from('x') })).rejects.toThrow('STORAGE_INVALID_PATH')
    await expect(storage.download('cloud://local.local-bucket/../../etc/passwd')).rejects.toThrow('STORAGE_INVALID_PATH')
  })
})
