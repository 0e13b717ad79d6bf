#!/usr/bin/env bash
# Installs the Debian tools the test suites run for real, when any is missing from PATH:
# as root with apt-get; as any other user with `sudo -n apt-get` when sudo lets this user run
# apt-get without a password (GitHub's hosted runners run as `runner`, with passwordless sudo:
# https://docs.github.com/en/actions/using-github-hosted-runners/about-github-hosted-runners,
# "Administrative privileges"). Otherwise it stops and prints the exact commands to run.
# It runs `apt-get update` first: a runner's package lists can be stale or absent.
#
# HIGHMEM_APT_GET names the apt-get to run (default: apt-get, found through sudo's secure_path or
# PATH). Only test/scripts/install-test-tools.test.ts sets it, to a stub that records its arguments;
# the same test checks that without it the real /usr/bin/apt-get is what runs.
set -euo pipefail

# Debian tools as "command:package". redis-tools comes with redis-server; it is listed so that a
# missing redis-cli alone is caught. python3 runs the reference workload's program (test/components/reference-program.test.ts).
tools=("redis-server:redis-server" "redis-cli:redis-tools" "promtool:prometheus" "python3:python3-minimal")
# As root, the test of this script runs it as a throwaway non-root user through sudo.
if [ "$(id -u)" = "0" ]; then tools+=("sudo:sudo"); fi

missing=()
for tool in "${tools[@]}"; do
  IFS=: read -r command package <<<"$tool"
  command -v "$command" >/dev/null 2>&1 || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

apt_get="${HIGHMEM_APT_GET:-apt-get}"
# Wait for the dpkg lock rather than fail: on a fresh hosted runner, unattended upgrades may hold it
# (apt.conf option DPkg::Lock::Timeout, apt 2.x doc/examples/configure-index).
install_args=(install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 "${missing[@]}")

manual() {
  echo "error: the tests need these Debian packages: ${missing[*]}" >&2
  echo "       $1, so install them yourself:" >&2
  echo "         sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  echo "       then run npm test again." >&2
  exit 1
}

if [ "$(id -u)" = "0" ]; then
  command -v "$apt_get" >/dev/null 2>&1 || manual "apt-get is not on PATH (not a Debian-based system?)"
  echo "Installing Debian packages the tests need: ${missing[*]}"
  "$apt_get" update -qq
  DEBIAN_FRONTEND=noninteractive "$apt_get" "${install_args[@]}" </dev/null >/dev/null
elif ! command -v sudo >/dev/null 2>&1; then
  manual "you are not root and sudo is not installed"
# -n: never prompt; fail instead when a password is needed (sudo(8), "-n, --non-interactive").
# `sudo -n true` answers for a user with sudo for everything; `sudo -n -l apt-get` for a user allowed
# apt-get alone ("-l ... command: if the command is permitted, its fully-qualified path is displayed").
elif sudo -n true >/dev/null 2>&1 || sudo -n -l "$apt_get" >/dev/null 2>&1; then
  echo "Installing Debian packages the tests need, with sudo: ${missing[*]}"
  # No VAR=value before the command: a sudoers rule for apt-get alone does not allow setting the
  # environment (sudoers(5), SETENV). With stdin closed, debconf asks nothing.
  sudo -n "$apt_get" update -qq
  sudo -n "$apt_get" "${install_args[@]}" </dev/null >/dev/null
else
  manual "you are not root and sudo needs a password to run apt-get (sudo -n true failed)"
fi

still=()
for tool in "${tools[@]}"; do
  IFS=: read -r command package <<<"$tool"
  command -v "$command" >/dev/null 2>&1 || still+=("$command")
done
if [ "${#still[@]}" -gt 0 ]; then
  echo "error: apt-get installed ${missing[*]}, but these commands are still not on PATH: ${still[*]} (PATH=$PATH)" >&2
  exit 1
fi
