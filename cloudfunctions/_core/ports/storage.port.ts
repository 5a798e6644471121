/**
 * Cloud storage: files are kept by fileID; links are minted on demand, short-lived, and
 * only for the owner (the path is under users/<openid>/).
 */
export interface StoragePort {
  upload(input: { cloudPath: string; content: Buffer }): Promise<{ fileID: string }>
  /**
   * Uploads a file from the local (temporary) file system as a stream: large files (an export's
   * ZIP) never sit whole in memory. Same path rules and fileID as upload.
   */
  uploadFile(input: { cloudPath: string; localPath: string }): Promise<{ fileID: string }>
  download(fileID: string): Promise<Buffer>
  /** Any number of fileIDs; the WeChat adapter batches them by 50 (getTempFileURL's per-call limit). */
  tempUrls(fileIDs: string[], opts: { openid: string; maxAgeSeconds: number }): Promise<{ fileID: string; url: string | null }[]>
  remove(fileIDs: string[]): Promise<void>
}
