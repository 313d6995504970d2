#!/usr/bin/env bash
# Install the system packages Accord's tests need, and nothing that is already there.
#
#   scripts/install-system-deps.sh           Chromium for the browser tests
#                                            (tests/e2e/authorization/test_browser.py);
#                                            Node.js, npm and tests/node's packages (npm ci) for
#                                            tests/e2e/openid/test_openid_client.py
#   scripts/install-system-deps.sh --bench   also wrk, for bench/
#
# Debian/Ubuntu only (apt-get). Safe to run again: installed packages are left alone.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

bench=0
for arg in "$@"; do
  case "$arg" in
    --bench) bench=1 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
# Node.js and npm, unless some are on PATH already (e.g. from NodeSource, whose nodejs
# carries npm and conflicts with Debian's npm package).
command -v node >/dev/null 2>&1 || wanted+=("nodejs:/usr/bin/node")
command -v npm >/dev/null 2>&1 || wanted+=("npm:/usr/bin/npm")

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
  echo "install-system-deps: no system package to install"
else
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
fi

# tests/node: openid-client, exactly as package-lock.json pins it. npm ci starts from an empty
# node_modules, so it runs only when the lockfile changed since the last install (a stamp
# holding the lockfile's SHA-256 sits in node_modules).
node_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/node"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  # openid-client 6 needs Node.js 20 (Web Crypto and fetch as globals); Debian 12 and
  # Ubuntu 24.04 ship 18: take Node.js 20+ from NodeSource or a newer release.
  echo "install-system-deps: Node.js $(node --version) is too old for openid-client; need 20+" >&2
  exit 1
fi
stamp="$node_dir/node_modules/.accord-lock.sha256"
lock_sum="$(sha256sum "$node_dir/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] \
  && [ -f "$node_dir/node_modules/openid-client/package.json" ]; then
  echo "install-system-deps: tests/node packages up to date"
else
  echo "install-system-deps: npm ci in tests/node"
  npm ci --prefix "$node_dir" --no-audit --no-fund
  echo "$lock_sum" >"$stamp"
fi
