#!/bin/sh
# Sets up everything anthology and its tests need, then builds the TypeScript.
# - npm packages (fonts included) from the npm registry;
# - on Debian/Ubuntu as root, the system tools when missing: Chromium (prints the PDF),
#   epubcheck (checks EPUBs in the tests), poppler-utils and qpdf (read PDFs in the tests).
# On other machines it uses the Chrome or Chromium already installed and says what is missing.
set -eu
cd "$(dirname "$0")/.."

missing=""
have_browser() {
  [ -n "${ANTHOLOGY_CHROMIUM:-}" ] && [ -x "${ANTHOLOGY_CHROMIUM}" ] && return 0
  for b in chromium chromium-browser google-chrome-stable google-chrome; do
    command -v "$b" >/dev/null 2>&1 && return 0
  done
  [ -d "/Applications/Google Chrome.app" ] || [ -d "/Applications/Chromium.app" ]
}
have_browser || missing="$missing chromium"
[ -f /usr/share/java/epubcheck.jar ] || command -v epubcheck >/dev/null 2>&1 || missing="$missing epubcheck"
command -v pdffonts >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"

if [ -n "$missing" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing$missing (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "setup: not found:$missing"
    echo "setup: the PDF needs Chrome or Chromium (or set ANTHOLOGY_CHROMIUM); the tests skip their"
    echo "       epubcheck and PDF checks without epubcheck, poppler-utils and qpdf."
  fi
fi

# npm ci when a lockfile is there (exact versions), else npm install; then compile lib/ (the
# package has no install script: `prepack` builds what it ships, so installing it runs none of ours).
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build
