import fs from 'node:fs'
import path from 'node:path'

/**
 * The fallback font for rare characters (生僻字) in names: HanaMinB of the Hanazono fonts
 * (GlyphWiki project; Hanazono Font License or SIL OFL 1.1, both allow redistribution). It
 * covers CJK Ext. B to F (60,000 ideographs), where Noto Sans SC has a few hundred. No npm
 * package ships such a font (the fontsource packages are WOFF/WOFF2, whose glyphs pdfkit embeds
 * empty, and UnifontEX stops at the BMP); Debian's fonts-hanazono does (scripts/setup.sh
 * installs it). The functions that render invoices ship it beside their bundle
 * (scripts/build-functions.ts); $FALLBACK_FONT_SOURCE points the build elsewhere (e.g.
 * HanaMinB.ttf downloaded from GlyphWiki on a machine without Debian).
 */
export const FALLBACK_FONT_NAME = 'HanaMinB.ttf'
export const DEBIAN_FALLBACK_FONT = '/usr/share/fonts/truetype/hanazono/HanaMinB.ttf'

export function fallbackFontSource(): string {
  const env = process.env.FALLBACK_FONT_SOURCE
  const candidate = env || DEBIAN_FALLBACK_FONT
  if (!fs.existsSync(candidate)) {
    throw new Error(
      `fallback font for rare characters not found at ${candidate}: apt-get install fonts-hanazono (scripts/setup.sh does), ` +
        `or set FALLBACK_FONT_SOURCE to a copy of ${FALLBACK_FONT_NAME}`,
    )
  }
  return path.resolve(candidate)
}
