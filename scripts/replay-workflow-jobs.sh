#!/usr/bin/env bash
# Replays the jobs of the pull-request workflow that need no cloud credentials (the tests, the stack
# list, the offline plans of base and head, their diff) on this machine, step by step as written, in a
# scratch clone, as a non-root user: the way a GitHub-hosted runner would run them. It fails when a
# step fails. The steps themselves are run by scripts/replay-workflow-jobs.mts (what stands in for each
# `uses:` step is described there).
#
#   bash scripts/replay-workflow-jobs.sh [WORKFLOW]      (default .github/workflows/pull-request.yml)
#
# - The scratch clone is of the committed HEAD: uncommitted changes are not replayed.
# - The base side of the diff is the merge-base of HEAD and main when that is not HEAD itself,
#   otherwise HEAD~1, otherwise (a single commit) HEAD; REPLAY_BASE=<rev> chooses it.
# - As root (CI here), it creates a throwaway user with passwordless sudo for apt-get only (a hosted
#   runner's user has passwordless sudo: docs.github.com, "About GitHub-hosted runners"), gives it a
#   copy of root's npm cache (what setup-node's `cache: npm` restores), replays as that user, and
#   removes the user, its sudoers entry and the scratch directory afterwards, whatever happened.
#   As any other user, it replays as that user with that user's npm cache.
# - REPLAY_LABELS=a,b: labels of the replayed pull request (e.g. data-loss-acknowledged).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
workflow=${1:-.github/workflows/pull-request.yml}

[ -d node_modules/tsx ] && [ -d node_modules/@actions/expressions ] || { echo "error: run npm ci first" >&2; exit 1; }

head=$(git rev-parse HEAD)
if [ -n "${REPLAY_BASE:-}" ]; then
  base=$(git rev-parse "$REPLAY_BASE")
else
  base=""
  for main in main origin/main; do
    if git rev-parse --verify --quiet "$main^{commit}" >/dev/null; then
      candidate=$(git merge-base HEAD "$main" 2>/dev/null || true)
      if [ -n "$candidate" ] && [ "$candidate" != "$head" ]; then base=$candidate; fi
      break
    fi
  done
  [ -n "$base" ] || base=$(git rev-parse --verify --quiet "HEAD~1^{commit}" || echo "$head")
fi

scratch=$(mktemp -d /tmp/replay-workflow.XXXXXX)
chmod 755 "$scratch"
user=""
cleanup() {
  status=$?
  if [ -n "$user" ]; then
    rm -f "/etc/sudoers.d/$user"
    userdel --remove "$user" 2>/dev/null || echo "warning: could not remove the user $user" >&2
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT

git clone --quiet --no-local "$root" "$scratch/repo"
git -C "$scratch/repo" checkout --quiet --detach "$head"
echo "[replay] scratch clone $scratch/repo at $(git -C "$scratch/repo" log -1 --format='%h %s'); base $(git log -1 --format='%h %s' "$base")"

# What the replay user keeps: a clean environment, as a runner's, plus the network settings here.
keep=(PATH="$PATH" LANG="${LANG:-C.UTF-8}" TERM="${TERM:-dumb}")
for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR REPLAY_LABELS; do
  if [ -n "${!name:-}" ]; then keep+=("$name=${!name}"); fi
done
replay=(node --import "file://$root/node_modules/tsx/dist/loader.mjs" "$root/scripts/replay-workflow-jobs.mts" --repo "$scratch/repo" --base "$base" --work "$scratch/work" --workflow "$workflow")

if [ "$(id -u)" = "0" ]; then
  user="replay-$$"
  useradd --create-home --shell /bin/bash "$user"
  if ! command -v sudo >/dev/null 2>&1; then
    echo "[replay] installing sudo, so that the replay user can run apt-get as a hosted runner's can"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo >/dev/null) \
      || echo "warning: sudo could not be installed: a step running sudo apt-get will fail" >&2
  fi
  install -d -m 755 /etc/sudoers.d
  printf '%s ALL=(root) NOPASSWD: /usr/bin/apt-get\n' "$user" >"/etc/sudoers.d/$user"
  chmod 440 "/etc/sudoers.d/$user"
  home=$(getent passwd "$user" | cut -d: -f6)
  cache=$(npm config get cache 2>/dev/null || echo "$HOME/.npm")
  if [ -d "$cache" ]; then cp -a "$cache" "$home/.npm"; rm -rf "$home/.npm/_logs"; fi
  chown -R "$user:" "$home" "$scratch"
  echo "[replay] as the throwaway user $user (uid $(id -u "$user")), sudo for apt-get only"
  cd "$scratch"
  runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" "${keep[@]}" "${replay[@]}"
else
  echo "[replay] as $(id -un) (uid $(id -u))"
  cd "$scratch"
  env -i HOME="$HOME" USER="$(id -un)" LOGNAME="$(id -un)" "${keep[@]}" "${replay[@]}"
fi
