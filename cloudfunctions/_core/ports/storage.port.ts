/**
 * Cloud storage: files are kept by fileID; links are minted on demand, short-lived, and
 * only for the owner (the path is under users/<openid>/).
 */
export interface StoragePort {
  upload(input: { cloudPath: string; content: Buffer }): Promise<{ fileID: string }>
  download(fileID: string): Promise<Buffer>
  /** At most 50 fileIDs per call (WeChat's getTempFileURL limit). */
  tempUrls(fileIDs: string[], opts: { openid: string; maxAgeSeconds: number }): Promise<{ fileID: string; url: string | null }[]>
  remove(fileIDs: string[]): Promise<void>
}
