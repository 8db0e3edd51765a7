#!/usr/bin/env bash
# The Debian packages the tests start for real, made sure of before `npm test` runs them (the
# root package.json's `pretest`); everything else the tests use comes from npm.
#   chromium      the browser tests: Playwright drives /usr/bin/chromium
#   redis-server  the scaled deployment's fan-out, started by packages/services
#   postgresql    the scaled deployment's storage, started by packages/services
# As root the missing ones are installed; otherwise it stops before any test, naming the command.
set -euo pipefail

packages=(chromium redis-server postgresql)

missing=()
for package in "${packages[@]}"; do
  # Installed, not merely known to dpkg (a removed package keeps its configuration files).
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ $status == installed ]] || missing+=("$package")
done
((${#missing[@]})) || exit 0

if ((EUID != 0)); then
  echo "The tests need Debian packages that are not installed: ${missing[*]}. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing the Debian packages the tests need: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
