#!/usr/bin/env bash
# The test command (`npm test`): sets up what the tests need on a fresh Debian-based machine, then
# type-checks, builds and runs every suite. Nothing is skipped silently: a missing tool stops the
# run with a message saying how to install it.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian tools the suites run for real, as "command:package".
# (redis-tools comes with redis-server; it is listed so that a missing redis-cli alone is caught.)
DEBIAN_TOOLS=("redis-server:redis-server" "redis-cli:redis-tools" "promtool:prometheus")

missing=()
for tool in "${DEBIAN_TOOLS[@]}"; do
  IFS=: read -r command package <<<"$tool"
  command -v "$command" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages the tests need: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: the tests need these Debian packages: ${missing[*]}" >&2
    echo "       install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ]; then
  echo "error: dependencies are not installed; run: npm ci" >&2
  exit 1
fi

echo "== type-check (strict) =="
npx --no-install tsc -p tsconfig.json
echo "== build =="
node tools/ensure-built.mjs
echo "== tests =="
npx --no-install vitest run "$@"
