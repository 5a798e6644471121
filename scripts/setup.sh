#!/usr/bin/env bash
# Installs everything the platform and its tests need on a fresh machine (Debian, Node 20):
# Debian's Chromium and a CJK font for the browser tests and screenshots, poppler-utils and
# zbar-tools to read invoices back, fonts-hanazono (the rare-character fallback font the invoice
# functions ship), then the npm packages and Node 18.15 for the deployed-bundle test.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || need_apt+=(fonts-wqy-microhei)
# pdftotext / pdffonts / pdftoppm: the tests read the invoice PDFs as a person would
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
# zbarimg: the tests read the invoice's QR code back from the rendered page
command -v zbarimg >/dev/null 2>&1 || need_apt+=(zbar-tools)
# HanaMinB (CJK Ext. B-F): the fallback font for rare characters in names; the build ships it
# with the invoice functions (scripts/fonts/fallback-font.ts)
[ -f /usr/share/fonts/truetype/hanazono/HanaMinB.ttf ] || need_apt+=(fonts-hanazono)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# `npm ci` fails with Taro 4.2.1's lockfile (optional platform bindings are unpublished): use install.
npm install --no-audit --no-fund --loglevel=error

# WeChat cloud's runtime (Nodejs 18.15) for the test that loads every deployed bundle under it.
bash scripts/fetch-node18.sh >/dev/null
