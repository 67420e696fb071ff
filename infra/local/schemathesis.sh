#!/usr/bin/env bash
# schemathesis, the OpenAPI contract tester packages/system/test/openapi-contract.test.ts runs, at
# the pinned version, in a Python venv of its own in the tools folder (never the machine's pip).
# Idempotent: does nothing when that version is already there. Needs python3 with venv (Debian's
# python3-venv is installed when it is missing) and PyPI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

version=4.32.5
tools="${CONVENE_TOOLS_DIR:-$HOME/.cache/convene-tools}"
venv="$tools/schemathesis"
bin="$venv/bin/schemathesis"

if [ -x "$bin" ] && "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$version')" 2>/dev/null; then
  exit 0
fi
command -v python3 >/dev/null || { log "schemathesis: needs python3; the OpenAPI contract test will fail"; exit 1; }
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  command -v apt-get >/dev/null || { log "schemathesis: python3 has no venv/ensurepip and there is no apt-get"; exit 1; }
  log "schemathesis: installing Debian's python3-venv"
  apt_install python3-venv
fi
log "schemathesis: installing $version from PyPI into $venv"
rm -rf "$venv"
mkdir -p "$tools"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
log "schemathesis: $("$bin" --version)"
