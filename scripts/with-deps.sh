#!/bin/sh
# Makes sure node_modules matches package-lock.json (Bun and Deno come from npm too),
# then runs the given command with node_modules/.bin first on PATH.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[ofertas] installing dependencies (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
PATH="$PWD/node_modules/.bin:$PATH"
export PATH
exec "$@"
