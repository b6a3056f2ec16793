#!/usr/bin/env bash
# System libraries the PDF report needs and Debian's base image lacks:
#   libharfbuzz-subset0  - font subsetting; without it WeasyPrint falls back to fontTools, 5-35x slower
#   poppler-utils        - pdftotext/pdffonts/pdfdetach, used by the tests to read PDFs back
# Installs them with apt-get when missing (as root); otherwise says what to install.
set -euo pipefail

missing=()
ldconfig -p | grep -q 'libharfbuzz-subset\.so\.0' || missing+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p | grep -q 'libpango-1\.0\.so\.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "assess needs these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
