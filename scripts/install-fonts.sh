#!/usr/bin/env bash
# The CJK font of the PDF report: Noto Sans SC (SIL Open Font License), static Regular and Bold
# instances, taken from the npm registry package @expo-google-fonts/noto-sans-sc and checked by SHA-256.
# Static outlines matter: WeasyPrint re-instances a variable font on every PDF (see docs/performance.md).
set -euo pipefail

dest=${1:-fonts}
package=@expo-google-fonts/noto-sans-sc@0.4.3
regular_sha=d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16
bold_sha=9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96

check() { echo "$2  $1" | sha256sum --check --status; }

if [ -f "$dest/NotoSansSC-Regular.ttf" ] && [ -f "$dest/NotoSansSC-Bold.ttf" ] \
   && check "$dest/NotoSansSC-Regular.ttf" "$regular_sha" && check "$dest/NotoSansSC-Bold.ttf" "$bold_sha"; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed to fetch the CJK font (Debian: apt-get install npm)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching the Noto Sans SC font (static Regular and Bold) ..."
(cd "$work" && npm pack --silent "$package" >/dev/null 2>&1)
tar -xzf "$work"/*.tgz -C "$work" package/400Regular/NotoSansSC_400Regular.ttf package/700Bold/NotoSansSC_700Bold.ttf
check "$work/package/400Regular/NotoSansSC_400Regular.ttf" "$regular_sha"
check "$work/package/700Bold/NotoSansSC_700Bold.ttf" "$bold_sha"
mkdir -p "$dest"
mv "$work/package/400Regular/NotoSansSC_400Regular.ttf" "$dest/NotoSansSC-Regular.ttf.tmp"
mv "$work/package/700Bold/NotoSansSC_700Bold.ttf" "$dest/NotoSansSC-Bold.ttf.tmp"
mv "$dest/NotoSansSC-Regular.ttf.tmp" "$dest/NotoSansSC-Regular.ttf"
mv "$dest/NotoSansSC-Bold.ttf.tmp" "$dest/NotoSansSC-Bold.ttf"
