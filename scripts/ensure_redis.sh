#!/usr/bin/env bash
# Make redis-server available for class mode's Redis store (--store redis://…) and its tests
# (tests/classroom, tests/browser/test_class_proxy.py start their own on a free port).
# Debian's package via apt-get when we are root and apt exists; otherwise say what to do.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's redis-server with apt-get"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server
  # The package may start a system-wide server on port 6379: the tests start their own on a
  # free port, so leave that one stopped.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
    systemctl stop redis-server || true
  fi
else
  echo "redis-server is needed (class mode's Redis store and its tests) but is not installed." >&2
  echo "Install it as root, e.g. 'sudo apt-get install redis-server' on Debian/Ubuntu," >&2
  echo "'sudo dnf install redis' on Fedora, 'brew install redis' on macOS; then rerun." >&2
  exit 1
fi
