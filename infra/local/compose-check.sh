#!/usr/bin/env bash
# compose-check (infra/docker/compose-check: Docker Compose's own loader, compose-go) built into the
# tools folder, for packages/system/test/deploy/compose.test.ts to validate docker-compose.yml
# without a Docker engine. Idempotent: does nothing when the binary was built from these sources.
# Needs Go (the machine's, or /usr/local/go) and the Go module proxy on the first build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

src="$here/../docker/compose-check"
tools="${CONVENE_TOOLS_DIR:-$HOME/.cache/convene-tools}"
bin="$tools/compose-check/compose-check"
stamp="$tools/compose-check/sources.sha256"
sources=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -d' ' -f1)

if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sources" ]; then exit 0; fi
go=$(command -v go || echo /usr/local/go/bin/go)
if [ ! -x "$go" ]; then
  log "compose-check: no Go toolchain (go on PATH or /usr/local/go); the compose validation test will fail"
  exit 0
fi
log "compose-check: building with $("$go" version | cut -d' ' -f3) into $bin"
mkdir -p "$(dirname "$bin")"
# A failed build stops nothing else: the compose test then fails on its own, saying what is missing.
if ! (cd "$src" && GOFLAGS=-mod=readonly GOTOOLCHAIN=local "$go" build -trimpath -o "$bin" .); then
  log "compose-check: the build failed (Go module proxy unreachable?); the compose validation test will fail"
  rm -f "$bin"
  exit 0
fi
echo "$sources" >"$stamp"
