#!/usr/bin/env bash
# Make nginx available for `make serve` and the proxy test (tests/deploy/test_proxy.py).
# Debian's package via apt-get when we are root and apt exists; otherwise say what to do.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nginx with apt-get"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx
  # The package may start its own server on port 80 where services can start: this project
  # runs nginx with its own generated config instead, so leave that one stopped.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
    systemctl stop nginx || true
  fi
else
  echo "nginx is needed (for 'make serve' and tests/deploy) but is not installed." >&2
  echo "Install it as root, e.g. 'sudo apt-get install nginx' on Debian/Ubuntu," >&2
  echo "'sudo dnf install nginx' on Fedora, 'brew install nginx' on macOS; then rerun." >&2
  exit 1
fi
