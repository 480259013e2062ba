"""A class on one server: N simulated students press "Full iteration" every 2 s.

Each student is a websocket client speaking Streamlit's own protocol (the protobuf
``BackMsg`` / ``ForwardMsg`` of the installed ``streamlit``), not a browser: 10 headless
Chromium pages already saturate this machine. A student loads ``/`` (for the cookies a
browser gets, e.g. the proxy's sticky cookie), opens ``/_stcore/stream``, asks for the first
run of the default page (Step by step, default data) and waits for its ``script_finished``;
then presses "Full iteration" every ``--period`` seconds for ``--seconds``: a ``rerun_script``
with the button's trigger value and the fragment the button lives in (what the browser sends
for a button inside ``st.fragment``), timed until ``script_finished`` arrives.

Simplifications (said here so the numbers are read right): the client sends only the
button's trigger among the widget states (the browser sends every widget's value; the
others are unchanged, so the run does the same work) and caches no messages
(``cached_message_hashes`` empty: the server sends every element in full, as to a new tab).

Staggering: student i joins at i · join_gap and presses on its own clock at
``phase_i + k · period`` with ``phase_i = (i + u_i) · period / N`` (u_i uniform in [0, 1),
seeded) plus a uniform ±0.2 s jitter per press, so the N students spread evenly over each
2 s period like people, never all at one instant. A press whose answer has not come by the
next tick waits for it (counted as "late").

Server-side numbers: CPU seconds (utime + stime of the server process(es), /proc/<pid>/stat)
over the pressing window divided by the presses; RSS (VmRSS) before the students join (after
one warm-up session), after the run, and after all sessions closed and Streamlit's
disconnected-session TTL (``--ttl``, passed as ``server.disconnectedSessionTTL``) passed.
``--classes 2`` runs a second class on the same server after the first has gone: if closed
sessions were kept, its RSS would climb by as much again.

    .venv/bin/python bench/bench_class.py [--students 1,10,30] [--seconds 60]
        [--configs single,proxy2] [--rounds 1]

``single``: one ``streamlit run app.py``; ``proxyR``: R replicas behind nginx
(deploy/serve.py); ``single:DIR``: the app in DIR (e.g. an earlier commit from
``git archive``); ``attach=URL@PID``: a server already running (say under py-spy).
Configurations alternate within each round.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deploy.serve import Deployment, free_port, start_replica, stop_process, wait_healthy  # noqa: E402

BUTTON = "Full iteration"
CLK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# ------------------------------------------------------------------------------------------
# /proc readings


def cpu_seconds(pids) -> float:
    """utime + stime of the processes (their threads included)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # fields 14, 15 of stat(5)
    return total / CLK


def rss_mb(pids) -> float:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/statm") as f:
            total += int(f.read().split()[1]) * PAGE
    return total / 2**20


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# ------------------------------------------------------------------------------------------
# One student


@dataclass
class Student:
    base: str  # http://host:port
    number: int
    latencies: list[float] = field(default_factory=list)
    late: int = 0
    errors: int = 0
    iteration: str = ""
    page_hash: str = ""
    button: tuple[str, str] | None = None  # (widget id, fragment id)
    ws: object = None

    async def _until_finished(self) -> None:
        """Read messages until the run finishes; note the button, errors, the metric."""
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await self.ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = msg.new_session.page_script_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                etype = element.WhichOneof("type")
                if etype == "button" and element.button.label == BUTTON:
                    self.button = (element.button.id, msg.delta.fragment_id)
                elif etype == "exception":
                    self.errors += 1
                elif etype == "metric" and element.metric.label == "Iteration":
                    self.iteration = element.metric.body
            elif kind == "script_finished":
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return

    async def open(self):
        cookie = await asyncio.to_thread(_page_cookie, self.base)
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else {}
        self.ws = await websockets.connect(url, subprotocols=["streamlit"], origin=self.base,
                                           additional_headers=headers, max_size=None,
                                           open_timeout=60, ping_interval=None)
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        await self.ws.send(msg.SerializeToString())
        await self._until_finished()
        if self.button is None:
            raise RuntimeError(f"student {self.number}: no {BUTTON!r} button on the page")

    async def press(self) -> float:
        msg = BackMsg()
        state = msg.rerun_script
        state.page_script_hash = self.page_hash
        state.fragment_id = self.button[1]
        widget = state.widget_states.widgets.add()
        widget.id = self.button[0]
        widget.trigger_value = True
        before = self.iteration
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        await self._until_finished()
        elapsed = time.perf_counter() - t0
        if self.iteration == before:
            self.errors += 1  # the metric must move at every press
        return elapsed

    async def press_every(self, start: float, period: float, until: float, phase: float,
                          rng: random.Random):
        k = 0
        while True:
            tick = start + phase + k * period + rng.uniform(-0.2, 0.2)
            if tick >= until:
                return
            delay = tick - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            else:
                self.late += 1
            self.latencies.append(await self.press())
            k += 1

    async def close(self):
        if self.ws is not None:
            await self.ws.close()


def _page_cookie(base: str) -> str:
    """Load the page as a browser does; return the cookies it set ("a=1; b=2")."""
    with urllib.request.urlopen(base + "/", timeout=60) as response:
        response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)


# ------------------------------------------------------------------------------------------
# One class


def percentile(values, q) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def one_class(base, pids, n, seconds, period, join_gap, ttl, seed, warm_bases=()):
    rng = random.Random(seed)
    for url in warm_bases:  # each process's imports and first-run caches, before the baseline
        warm = Student(url, -1)
        await warm.open()
        await warm.press()
        await warm.close()
    await asyncio.sleep(1)
    rss0 = rss_mb(pids)
    students = [Student(base, i) for i in range(n)]
    for student in students:
        await student.open()
        await asyncio.sleep(join_gap)
    rss_open = rss_mb(pids)
    phases = [(i + rng.random()) * period / n for i in range(n)]
    cpu0, busy0, wall0, client0 = (cpu_seconds(pids), machine_busy(), time.perf_counter(),
                                   time.process_time())
    until = wall0 + seconds
    await asyncio.gather(*(s.press_every(wall0, period, until, phases[i],
                                         random.Random(seed * 1000 + i))
                           for i, s in enumerate(students)))
    wall = time.perf_counter() - wall0
    cpu = cpu_seconds(pids) - cpu0
    busy1 = machine_busy()
    client = time.process_time() - client0
    rss_run = rss_mb(pids)
    for student in students:
        await student.close()
    # Streamlit keeps a closed session ttl seconds for a reconnect; a later disconnect
    # prunes the expired ones: wait, then open and close one probe session.
    await asyncio.sleep(ttl + 2)
    probe = Student(base, -2)
    await probe.open()
    await probe.close()
    await asyncio.sleep(3)
    rss_closed = rss_mb(pids)
    latencies = [x for s in students for x in s.latencies]
    cores = os.cpu_count() or 1
    return dict(
        n=n, presses=len(latencies), wall=wall,
        p50=statistics.median(latencies), p95=percentile(latencies, 0.95),
        max=max(latencies), late=sum(s.late for s in students),
        errors=sum(s.errors for s in students),
        cpu_per_press=cpu / len(latencies), server_cores=cpu / wall,
        machine_cores=(busy1[0] - busy0[0]) / (busy1[1] - busy0[1]) * cores,
        client_cores=client / wall,
        rss0=rss0, rss_open=rss_open, rss_run=rss_run, rss_closed=rss_closed,
        per_session=(rss_run - rss0) / n,
    )


def start_config(name: str, ttl: int):
    extra = ("--server.disconnectedSessionTTL", str(ttl))
    if name == "single" or name.startswith("single:"):  # single:DIR runs DIR's app.py
        port = free_port()
        # As `streamlit run app.py` starts it: no thread settings in the environment.
        proc = start_replica(port, extra, cwd=name[7:] or None, one_thread=False)
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, "server")
        url = f"http://127.0.0.1:{port}"
        return url, [proc.pid], [url], lambda: stop_process(proc)
    if name.startswith("proxy"):
        deployment = Deployment(replicas=int(name[5:] or 2), replica_args=extra).start()
        replicas = [f"http://127.0.0.1:{p}" for p in deployment.replica_ports]
        return deployment.url, deployment.pids(), replicas, deployment.stop
    if name.startswith("attach="):  # a server started by hand (e.g. under a profiler)
        url, pid = name[7:].rsplit("@", 1)
        return url, [int(pid)], [url], lambda: None
    raise ValueError(f"unknown configuration {name!r}: single, proxyR (R replicas) or "
                     "attach=URL@PID")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", default="1,10,30")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--period", type=float, default=2.0)
    parser.add_argument("--join-gap", type=float, default=0.1,
                        help="seconds between two students joining")
    parser.add_argument("--configs", default="single",
                        help="comma-separated: single, proxy2, proxy3…")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--ttl", type=int, default=10,
                        help="server.disconnectedSessionTTL for the run (Streamlit: 120 s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classes", type=int, default=1,
                        help="classes one after another on the same server (is memory "
                             "freed and reused?)")
    args = parser.parse_args()
    sizes = [int(v) for v in args.students.split(",")]
    configs = args.configs.split(",")
    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()}; "
          f"{args.seconds:g} s of presses every {args.period:g} s", flush=True)
    print("config   N  presses  p50 ms  p95 ms  max ms  late err  CPU ms/press  server cores"
          "  machine cores  client cores  RSS0 MB  +/session MB  RSS closed MB", flush=True)
    for r in range(args.rounds):
        for n in sizes:
            for name in configs if r % 2 == 0 else configs[::-1]:
                base, pids, replicas, stop = start_config(name, args.ttl)
                try:
                    for c in range(args.classes):
                        res = asyncio.run(one_class(base, pids, n, args.seconds, args.period,
                                                    args.join_gap, args.ttl, args.seed + r,
                                                    replicas if c == 0 else ()))
                        report(name if c == 0 else f"  again{c}", n, res)
                finally:
                    stop()


def report(name, n, res):
    print(f"{name:7s} {n:3d} {res['presses']:7d} {res['p50'] * 1e3:7.0f} "
                      f"{res['p95'] * 1e3:7.0f} {res['max'] * 1e3:7.0f} {res['late']:5d} "
                      f"{res['errors']:3d} {res['cpu_per_press'] * 1e3:12.1f} "
                      f"{res['server_cores']:13.2f} {res['machine_cores']:14.2f} "
                      f"{res['client_cores']:13.2f} {res['rss0']:8.0f} "
                      f"{res['per_session']:13.2f} {res['rss_closed']:14.0f}"
                      f"   (RSS open {res['rss_open']:.0f}, after run {res['rss_run']:.0f}; "
                      f"load {os.getloadavg()[0]:.2f})", flush=True)


if __name__ == "__main__":
    main()
