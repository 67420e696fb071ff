#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it; never a downloaded browser).
# Idempotent: does nothing when /usr/bin/chromium is there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null; then
  log "Chromium: /usr/bin/chromium is missing and there is no apt-get; the browser tests will fail"
  exit 0
fi
log "Chromium: installing Debian's chromium package"
apt_install chromium
log "Chromium: $(/usr/bin/chromium --version 2>/dev/null || echo installed)"
