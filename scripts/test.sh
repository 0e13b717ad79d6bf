#!/usr/bin/env bash
# The test command (`npm test`, which runs it through scripts/node.sh for Node >= 22): sets up what
# the tests need on a fresh Debian-based machine (scripts/install-test-tools.sh: apt-get as root,
# sudo -n otherwise), then type-checks, builds and runs every suite. Nothing is skipped silently: a
# tool that cannot be installed stops the run with the commands to run.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-tools.sh

if [ ! -d node_modules ]; then
  echo "error: dependencies are not installed; run: npm ci" >&2
  exit 1
fi

echo "== type-check (strict) =="
node node_modules/typescript/bin/tsc -p tsconfig.json
echo "== lint and format =="
node node_modules/eslint/bin/eslint.js .
node node_modules/prettier/bin/prettier.cjs --check "**/*.{ts,mts,mjs}" --log-level warn
echo "== build =="
node tools/ensure-built.mjs
echo "== tests =="
node node_modules/vitest/vitest.mjs run "$@"
