import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { DEBIAN_FALLBACK_FONT, FALLBACK_FONT_NAME } from '../fonts/fallback-font'
import type { Env } from './desired'
import type { ManagerLike } from './manager.port'

/**
 * The rare-character fallback fonts (docs/deploy.md "Rare characters"): the bundles ship only the
 * 通用规范汉字表 subset, so `npm run deploy` puts the whole Noto Sans SC and HanaMinB into the
 * environment's cloud storage and sets INVOICE_FALLBACK_FONT_FILE_IDS on the issuing functions
 * (adapters/documents/font.ts storageFallbackFonts downloads them on the first name that needs one).
 *
 * Each file goes under a path named by its SHA-256 (fonts/<sha256 16 hex>/<name>): a second deploy
 * finds it there and uploads nothing, a changed font gets a new path (and so a new fileID, which
 * an instance's /tmp cache is keyed by), and a fileID never points at other bytes than it did.
 * A fileID is cloud://<envId>.<bucket>/<cloudPath> (what manager-node's own cloudPathToFileId
 * builds); the bucket is the environment's first storage (GetEnvInfo EnvInfo.Storages[0].Bucket).
 */
export const FONT_IDS_KEY = 'INVOICE_FALLBACK_FONT_FILE_IDS'
/** how the dry run writes the bucket, which only the environment can tell */
export const BUCKET_PLACEHOLDER = '<bucket>'
const NOTO_PACKAGE_FONT = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'

export interface FallbackFont {
  /** the file name in storage, as the renderer's order and docs name it */
  name: string
  localPath: string
  cloudPath: string
  bytes: number
}

/** What the deploy does about the fonts: upload these, or leave the setting alone (and why). */
export type FontPlan = { fonts: FallbackFont[] } | { skip: string }

/** Where the two fonts are on this machine, in the renderer's order: the whole Noto Sans SC, then HanaMinB. */
export function defaultFontSources(env: Env, root: string): { name: string; localPath: string }[] {
  let noto = ''
  try {
    noto = require.resolve(NOTO_PACKAGE_FONT, { paths: [root, __dirname] })
  } catch {
    noto = path.join(root, 'node_modules', NOTO_PACKAGE_FONT)
  }
  return [
    { name: 'NotoSansSC-Regular.ttf', localPath: noto },
    { name: FALLBACK_FONT_NAME, localPath: (env.FALLBACK_FONT_SOURCE ?? '').trim() || DEBIAN_FALLBACK_FONT },
  ]
}

/** Hashes the files (streamed: HanaMinB is 30 MB) into their content-addressed cloud paths. */
export function fontPlan(env: Env, sources: { name: string; localPath: string }[]): FontPlan {
  if ((env[FONT_IDS_KEY] ?? '').trim()) return { skip: `${FONT_IDS_KEY} is set in the configuration: used as it is, no font uploaded` }
  const missing = sources.filter((s) => !fs.existsSync(s.localPath))
  if (missing.length)
    return {
      skip: `fallback font not found: ${missing.map((s) => s.localPath).join(', ')} (scripts/setup.sh installs fonts-hanazono; FALLBACK_FONT_SOURCE names a copy of HanaMinB.ttf)`,
    }
  return {
    fonts: sources.map((s) => {
      const sha = crypto.createHash('sha256')
      const fd = fs.openSync(s.localPath, 'r')
      try {
        const buf = Buffer.alloc(1 << 20)
        for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) sha.update(buf.subarray(0, n))
      } finally {
        fs.closeSync(fd)
      }
      return { name: s.name, localPath: s.localPath, cloudPath: `fonts/${sha.digest('hex').slice(0, 16)}/${s.name}`, bytes: fs.statSync(s.localPath).size }
    }),
  }
}

/** The configuration with the fonts' fileIDs in the order the renderer tries them. */
export function withFontIds(env: Env, ids: string[]): Env {
  return ids.length ? { ...env, [FONT_IDS_KEY]: ids.join(',') } : env
}

export const fileIdOf = (envId: string, bucket: string, cloudPath: string) => `cloud://${envId}.${bucket}/${cloudPath}`

/** The environment's storage bucket (GetEnvInfo); throws when the environment has none. */
export async function storageBucket(m: ManagerLike, envId: string): Promise<string> {
  const { EnvInfo } = await m.env.getEnvInfo()
  const bucket = EnvInfo?.Storages?.[0]?.Bucket
  if (!bucket) throw new Error(`environment ${envId} has no cloud storage bucket (GetEnvInfo Storages is empty): open 云存储 in the console once`)
  if (EnvInfo.EnvId && EnvInfo.EnvId !== envId) throw new Error(`GetEnvInfo answered for ${EnvInfo.EnvId}, not ${envId}`)
  return bucket
}

/** manager-node's getFileInfo: Size in KB with two decimals; throws (COS 404) when there is no such file. */
async function storedAlready(m: ManagerLike, f: FallbackFont): Promise<boolean> {
  try {
    const info = await m.storage.getFileInfo(f.cloudPath)
    return Number(info.Size) === Number((f.bytes / 1024).toFixed(2))
  } catch {
    return false
  }
}

export interface FontStep {
  font: FallbackFont
  action: 'uploaded' | 'present' | 'missing'
}

/**
 * Deploy: uploads each font not yet stored at its path (a second run uploads nothing) and answers
 * the fileIDs. Check (upload false): only looks, and says which are missing.
 */
export async function syncFonts(m: ManagerLike, envId: string, fonts: FallbackFont[], upload: boolean): Promise<{ ids: string[]; steps: FontStep[] }> {
  const bucket = await storageBucket(m, envId)
  const steps: FontStep[] = []
  for (const font of fonts) {
    if (await storedAlready(m, font)) steps.push({ font, action: 'present' })
    else if (!upload) steps.push({ font, action: 'missing' })
    else {
      await m.storage.uploadFile({ localPath: font.localPath, cloudPath: font.cloudPath })
      if (!(await storedAlready(m, font))) throw new Error(`${font.cloudPath}: not found in storage after the upload`)
      steps.push({ font, action: 'uploaded' })
    }
  }
  return { ids: fonts.map((f) => fileIdOf(envId, bucket, f.cloudPath)), steps }
}

export const describeFont = (f: FallbackFont) => `${f.name} (${(f.bytes / 1048576).toFixed(1)} MB) -> ${f.cloudPath}`
