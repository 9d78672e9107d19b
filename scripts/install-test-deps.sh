#!/usr/bin/env bash
# Installs what the accessibility and browser tests need, if it is missing: Chromium (DAISY Ace
# runs its checks in it, and Playwright drives it for the web edition's tests), Ace itself,
# pinned in tools/ace/package-lock.json, axe-core, pinned in tools/axe/package-lock.json, and
# PDF.js, pinned in tools/pdfjs/package-lock.json (the fillable PDF's tests open a filled copy
# in it), each installed into its node_modules (ignored by git). Ace needs Node.js 20 or newer.
# Playwright for Python comes with the test extras (pip install -e '.[test]'); it never
# downloads a browser here: the tests launch this Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_path() {
  command -v chromium || command -v chromium-browser || true
}

if [ -z "$(chromium_path)" ] || ! command -v npm >/dev/null 2>&1; then
  if [ "$(uname -s)" = "Darwin" ]; then
    echo "Please install Chromium and Node.js 20+ (brew install --cask chromium; brew install node)," \
         "then set PUPPETEER_EXECUTABLE_PATH to Chromium's binary." >&2
    exit 1
  fi
  source scripts/apt-install.sh  # this script runs from the project's top folder
  packages=()
  [ -n "$(chromium_path)" ] || packages+=(chromium)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
  apt_install "${packages[@]}"
fi

stamp=tools/ace/node_modules/.installed
if [ ! -f "$stamp" ] || [ tools/ace/package-lock.json -nt "$stamp" ]; then
  # The browser puppeteer would download is not needed: Ace uses the system Chromium.
  (cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --silent)
  touch "$stamp"
fi

stamp=tools/axe/node_modules/.installed
if [ ! -f "$stamp" ] || [ tools/axe/package-lock.json -nt "$stamp" ]; then
  (cd tools/axe && npm ci --ignore-scripts --no-audit --no-fund --silent)
  touch "$stamp"
fi

stamp=tools/pdfjs/node_modules/.installed
if [ ! -f "$stamp" ] || [ tools/pdfjs/package-lock.json -nt "$stamp" ]; then
  # Only PDF.js itself: its optional canvas package is for Node.js, not for a browser.
  (cd tools/pdfjs && npm ci --ignore-scripts --omit=optional --no-audit --no-fund --silent)
  touch "$stamp"
fi
