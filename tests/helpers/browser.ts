import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's Chromium, headless, with a fresh profile (no browser download: playwright-core only). */
export async function launchBrowser(): Promise<BrowserContext> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run npm run setup`)
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-chromium-'))
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 414, height: 896 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

/** The H5 build the journeys load; WT_H5_DIR points at a private copy (others may be rebuilding the shared one). */
export const H5_DIR = process.env.WT_H5_DIR ? path.resolve(process.env.WT_H5_DIR) : path.resolve(__dirname, '../../miniprogram/dist-h5')
export const SHOTS_DIR = path.resolve(os.tmpdir(), 'wt-screenshots')
