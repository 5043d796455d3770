#!/usr/bin/env bash
# Install what the tests need, build the site and run every test:
#   bash test.sh [pytest arguments]
# Chromium: the system's (Debian's `chromium`, installed with apt-get when missing and this runs
# as root), else Playwright's own browser. pytest's exit status is this script's.
set -euo pipefail
cd "$(dirname "$0")"

python3 -m pip install --quiet --disable-pip-version-check -r requirements-test.txt

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  else
    python3 -m playwright install chromium
  fi
fi

npm ci --no-audit --no-fund

exec python3 -m pytest "$@"
