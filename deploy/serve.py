"""Several EM Playground replicas behind nginx, in the foreground: ``make serve``.

    .venv/bin/python deploy/serve.py [--replicas 2] [--port 8501] [--host 0.0.0.0]
        [--store sqlite:///path/classes.sqlite3 | redis://host:6379/0]

Starts ``--replicas`` ``streamlit run app.py`` processes on free local ports, waits until
each answers ``/_stcore/health``, writes an nginx configuration from
``deploy/nginx.conf.template`` into a private temporary prefix (nothing under /etc/nginx is
read or written) and runs nginx on ``--port`` with it. A replica that dies is restarted.
Ctrl-C (or SIGTERM) stops nginx and every replica and removes the prefix.

One process runs a script at a time per core (Python's GIL): more replicas use more cores.
Sessions are sticky (see the template), so a browser always talks to its own replica.
Class mode's answers meet in one store every replica opens (``--store``, passed to them as
``$EM_CLASS_STORE``): by default one SQLite file (WAL) on this machine, or Redis.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def nginx_binary() -> str:
    """nginx on PATH or in /usr/sbin (not on a non-root PATH on Debian)."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None)
    if found is None:
        raise RuntimeError("nginx is not installed: run scripts/ensure_nginx.sh "
                           "(as root it installs Debian's package) or install nginx yourself")
    return found


def render_config(prefix: Path, listen: str, replica_ports: list[int],
                  max_body: str = "25m") -> str:
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;"
                        for port in replica_ports)
    text = TEMPLATE.read_text()
    for name, value in {"PREFIX": str(prefix), "LISTEN": listen, "SERVERS": servers,
                        "REPLICAS": str(len(replica_ports)), "MAX_BODY": max_body}.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def wait_healthy(url: str, proc: subprocess.Popen, what: str, timeout: float = 90):
    """Wait until ``url`` answers "ok" (Streamlit's health endpoint) or the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
            raise RuntimeError(f"{what} exited with code {proc.returncode}: {err}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s")


def start_replica(port: int, extra_args=(), quiet=True, cwd=None,
                  one_thread=True, store: str | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           *extra_args]
    # One thread per native pool (see ui/threads.py; OpenMP reads it only from here).
    env = dict(os.environ)
    if one_thread:
        env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    if store:  # class mode's shared store (classroom.open_store reads it)
        env["EM_CLASS_STORE"] = store
    return subprocess.Popen(cmd, cwd=cwd or ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE if quiet else None,
                            start_new_session=True, env=env)


def stop_process(proc: subprocess.Popen, timeout: float = 10):
    """SIGTERM the process group, SIGKILL after ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=timeout)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@dataclass
class Deployment:
    """Replicas + nginx; ``start()`` then ``stop()`` (or use as a context manager)."""

    replicas: int = 2
    port: int = 0  # 0: a free port
    host: str = "127.0.0.1"
    replica_args: tuple = ()
    quiet: bool = True
    store: str | None = None  # class mode's store URL for every replica (None: the default)
    prefix: Path | None = None
    replica_ports: list[int] = field(default_factory=list)
    procs: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> Deployment:
        binary = nginx_binary()
        if not self.port:
            self.port = free_port()
        try:
            self.replica_ports = [free_port() for _ in range(self.replicas)]
            self.procs = [start_replica(p, self.replica_args, self.quiet, store=self.store)
                          for p in self.replica_ports]
            for i, (proc, port) in enumerate(zip(self.procs, self.replica_ports)):
                wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, f"replica {i + 1}")
            self.prefix = Path(tempfile.mkdtemp(prefix="em-playground-nginx-"))
            # nginx's workers drop to "nobody" when started as root: they must reach the
            # temp folders in the prefix (the config holds no secret).
            self.prefix.chmod(0o755)
            listen = f"{self.host}:{self.port}" if self.host else str(self.port)
            conf = self.prefix / "nginx.conf"
            conf.write_text(render_config(self.prefix, listen, self.replica_ports))
            check = subprocess.run([binary, "-t", "-q", "-p", str(self.prefix), "-c", str(conf),
                                    "-e", "stderr"], capture_output=True, text=True)
            if check.returncode:
                raise RuntimeError(f"nginx rejected the generated config: {check.stderr}")
            self.nginx = subprocess.Popen(
                [binary, "-p", str(self.prefix), "-c", str(conf), "-e", "stderr"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if self.quiet else None,
                start_new_session=True)
            wait_healthy(f"{self.url}/healthz", self.nginx, "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def restart_dead(self) -> list[int]:
        """Restart every replica that exited; returns their numbers (1-based)."""
        dead = [i for i, p in enumerate(self.procs) if p.poll() is not None]
        for i in dead:
            self.procs[i] = start_replica(self.replica_ports[i], self.replica_args, self.quiet,
                                          store=self.store)
            wait_healthy(f"http://127.0.0.1:{self.replica_ports[i]}/_stcore/health",
                         self.procs[i], f"replica {i + 1}")
        return [i + 1 for i in dead]

    def pids(self) -> list[int]:
        """The replicas' and nginx's (master) process ids."""
        return [p.pid for p in self.procs] + ([self.nginx.pid] if self.nginx else [])

    def stop(self):
        if self.nginx is not None:
            stop_process(self.nginx)
            self.nginx = None
        for proc in self.procs:
            stop_process(proc)
        self.procs = []
        if self.prefix is not None:
            shutil.rmtree(self.prefix, ignore_errors=True)
            self.prefix = None

    def __enter__(self) -> Deployment:
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--host", default="0.0.0.0",
                        help="address nginx listens on (replicas listen on 127.0.0.1 only)")
    parser.add_argument("--store", default=None,
                        help="class mode's store, shared by the replicas: "
                             "sqlite:///path/classes.sqlite3 (default: $EM_CLASS_STORE or "
                             "var/classes.sqlite3) or redis://host:6379/0")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    if args.store:  # fail here, in plain words, rather than in every replica
        sys.path.insert(0, str(ROOT))
        from classroom import open_store

        open_store(args.store).ping()
    deployment = Deployment(replicas=args.replicas, port=args.port, host=args.host,
                            quiet=False, store=args.store)
    try:
        deployment.start()
        print(f"EM Playground: {args.replicas} replica(s) on 127.0.0.1:"
              f"{', '.join(map(str, deployment.replica_ports))} behind nginx at "
              f"{deployment.url}"
              f"{' (all interfaces)' if args.host == '0.0.0.0' else ''}; nginx config in "
              f"{deployment.prefix}. Ctrl-C stops everything.", flush=True)
        while True:
            time.sleep(1)
            if deployment.nginx.poll() is not None:
                raise RuntimeError(f"nginx exited with code {deployment.nginx.returncode}")
            for number in deployment.restart_dead():
                print(f"replica {number} had exited: restarted", flush=True)
    except KeyboardInterrupt:
        print("\nStopping nginx and the replicas…", flush=True)
    finally:
        deployment.stop()


if __name__ == "__main__":
    main()
