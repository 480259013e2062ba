#!/usr/bin/env bash
# Make a Chromium available for the Playwright tests.
# Debian's chromium via apt-get when we are root and apt exists; otherwise Playwright's own.
set -euo pipefail
PY=${1:-.venv/bin/python}
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium with apt-get"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
else
  echo "Installing Playwright's chromium"
  "$PY" -m playwright install chromium
fi
