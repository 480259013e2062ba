"""A private redis-server for the tests: on a free port, no persistence, stopped after.

scripts/ensure_redis.sh installs Debian's redis-server (``make test`` runs it first); no
test skips when it is missing: the fixture fails and says how to install it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _binary() -> str:
    found = shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(p).exists()),
        None)
    if found is None:
        raise RuntimeError("redis-server is not installed: run scripts/ensure_redis.sh "
                           "(as root it installs Debian's package)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def redis_server():
    """Yield ``redis://127.0.0.1:PORT/0`` once the server answers PING."""
    import redis

    port = _free_port()
    folder = tempfile.mkdtemp(prefix="em-playground-redis-")
    proc = subprocess.Popen(
        [_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", folder, "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        # Wait for PING (an event), with the process's own exit as the failure.
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError("redis-server exited: "
                                   + proc.stderr.read().decode(errors="replace")[-1000:])
            try:
                if client.ping():
                    break
            except redis.ConnectionError:
                try:
                    proc.wait(timeout=0.05)  # returns at once if it exits
                except subprocess.TimeoutExpired:
                    pass
        else:
            raise RuntimeError(f"redis-server on port {port} never answered PING")
        yield url
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
