#!/usr/bin/env bash
# Install the system packages Accord's tests need, and nothing that is already there.
#
#   scripts/install-system-deps.sh           Chromium for the browser tests (tests/test_browser.py)
#   scripts/install-system-deps.sh --bench   also wrk, for bench/
#
# Debian/Ubuntu only (apt-get). Safe to run again: installed packages are left alone.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-system-deps: unknown option: $arg" >&2; exit 2 ;;
  esac
done

# root runs apt-get directly; anyone else goes through sudo (non-interactive) when it exists.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n env DEBIAN_FRONTEND=noninteractive "$@"
  else
    echo "install-system-deps: not root and sudo is missing; cannot run: $*" >&2
    return 1
  fi
}

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: apt-get not found (this script supports Debian/Ubuntu)" >&2
  exit 1
fi

# What is missing: "package:path-that-proves-it-is-installed".
wanted=("chromium:/usr/bin/chromium")
if [ "$bench" -eq 1 ]; then
  wanted+=("wrk:/usr/bin/wrk")
fi

missing=()
for item in "${wanted[@]}"; do
  package="${item%%:*}"
  path="${item#*:}"
  if [ -x "$path" ]; then
    echo "install-system-deps: $package already installed ($path)"
  else
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: nothing to install"
  exit 0
fi

echo "install-system-deps: installing ${missing[*]}"
as_root apt-get update
as_root apt-get install -y --no-install-recommends "${missing[@]}"

for item in "${wanted[@]}"; do
  package="${item%%:*}"
  path="${item#*:}"
  if [ ! -x "$path" ]; then
    echo "install-system-deps: $package was installed but $path is still missing" >&2
    exit 1
  fi
done
echo "install-system-deps: installed ${missing[*]}"
