#!/usr/bin/env bash
# Builds one service into a folder that runs on its own: `node src/main.js` there. The Dockerfile runs
# this, `./convene start` runs it, and packages/system/test/deploy/image.test.ts runs it and starts the
# result, so what CI checks is what the image holds.
#
#   bash infra/docker/build-service.sh SERVICE OUTDIR
#
# 1. pnpm deploy: the service with its production dependencies only, workspace packages copied in
#    (injected) rather than linked, from the pnpm store alone (--offline: `pnpm install` or
#    `pnpm fetch` filled it; nothing is resolved again, the lockfile decides every version).
# 2. compile-to-javascript.ts: Node's own type stripping, done once here instead of at every start.
set -euo pipefail
service=${1:?usage: build-service.sh SERVICE OUTDIR}
out=${2:?usage: build-service.sh SERVICE OUTDIR}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -f "$root/services/$service/package.json" ] || { echo "[build] no service named $service" >&2; exit 2; }
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

rm -rf "$out"
cd "$root"
pnpm --config.inject-workspace-packages=true --filter "@convene/$service" deploy --prod --offline \
  --reporter=silent "$out"
node --disable-warning=ExperimentalWarning "$root/infra/docker/compile-to-javascript.ts" "$out"
