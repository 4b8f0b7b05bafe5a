#!/usr/bin/env bash
# Debian packages the app and the tests need: fonts that reportlab can embed
# (TrueType: DejaVu for Latin/Cyrillic/Arabic, WenQuanYi Zen Hei for Chinese, Symbola for
# emoji and symbols),
# poppler-utils to read PDFs back, and chromium for the browser test.
# Installs only what is missing, so a second run costs nothing.
set -euo pipefail
packages=(fonts-dejavu-core fonts-wqy-zenhei fonts-symbola poppler-utils chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}; run this script as root (or: sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
