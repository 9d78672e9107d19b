#!/usr/bin/env bash
# Installs the system libraries workbook needs, if they are missing:
# Pango and HarfBuzz (WeasyPrint's text layout and font subsetting), Java (epubcheck, for the
# tests) and poppler-utils (to look at PDF pages). Debian/Ubuntu via apt-get, macOS via Homebrew.
set -euo pipefail

have_libs() {
  command -v ldconfig >/dev/null 2>&1 || return 1
  ldconfig -p | grep -q "libpango-1.0.so" && ldconfig -p | grep -q "libharfbuzz-subset.so" \
    && command -v java >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1
}

if [ "$(uname -s)" = "Darwin" ]; then
  command -v brew >/dev/null 2>&1 || { echo "Please install Homebrew first: https://brew.sh" >&2; exit 1; }
  brew list pango >/dev/null 2>&1 || brew install pango
  brew list openjdk >/dev/null 2>&1 || brew install openjdk
  brew list poppler >/dev/null 2>&1 || brew install poppler
  exit 0
fi

have_libs && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install Pango, HarfBuzz (with its subset library), Java and poppler-utils" \
       "with your system's package manager." >&2
  exit 1
fi
source "$(dirname "$0")/apt-install.sh"
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
  default-jre-headless poppler-utils python3-venv
