"""Class mode under load: N students answer one question within 10 s while the lecturer's
view refreshes; how long until each answer appears on the lecturer's view?

Every participant is a websocket client speaking Streamlit's own protocol (as
bench/bench_class.py: the protobuf ``BackMsg`` / ``ForwardMsg`` of the installed
``streamlit``), doing what its browser would do on the Class page:

* the lecturer opens ``/class?class=CODE``, hands the page its ``#owner=`` fragment (the
  value the url_hash component returns in a browser) and then reruns the live fragment every
  time Streamlit's ``auto_rerun`` asks (``st.fragment(run_every=1 s)``), sending every widget
  value as a browser does;
* each student opens ``/class?join=CODE`` (through the proxy: its own sticky cookie, so the
  students spread over the replicas), keeps its 2-s watch fragment running, and at its
  moment types a nickname ``bsNNNz`` and an answer into "type the numbers" and presses
  "Send typed answer" (student i at ``(i + u_i) · window / N`` s, u_i uniform, seeded).

Measured: for each answer, from the moment its press is sent to the first message of the
lecturer's view that holds its nickname (the chart's hover text lists every answer); the
student's own confirmation time; answers lost = answers confirmed − answers in the store.

    .venv/bin/python bench/bench_class_answers.py [--students 100] [--window 10]
        [--configs proxy2,single] [--store sqlite|redis://host:port/0]

The class and its question are created in the store directly (what the lecturer's "Start a
class" and "Ask it" buttons do); the SQLite store is a fresh file in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from classroom import open_store  # noqa: E402
from deploy.serve import Deployment, free_port, start_replica, stop_process, wait_healthy  # noqa: E402
from lab_maths import class_questions as cq  # noqa: E402

NICK = re.compile(rb"bs(\d{3})z")
TYPED_LABEL = "separated by commas"


def percentile(values, q) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def page_load(base: str) -> tuple[str, str]:
    """Load the page as a browser does: (cookies it set, the replica that answered)."""
    with urllib.request.urlopen(base + "/class", timeout=60) as response:
        response.read()
        cookies = response.headers.get_all("Set-Cookie") or []
        replica = response.headers.get("X-EM-Replica", "")
    return "; ".join(c.split(";", 1)[0] for c in cookies), replica


@dataclass
class Session:
    """One browser tab on the Class page."""

    base: str
    query: str
    values: dict = field(default_factory=dict)  # widget id -> (kind, value) sent every run
    widgets: dict = field(default_factory=dict)  # label or component name -> widget id
    fragments: dict = field(default_factory=dict)  # widget id -> the fragment it is in
    auto: tuple | None = None  # (interval, fragment_id) from Streamlit's auto_rerun
    replica: str = ""
    ws: object = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    page_hash: str = ""

    async def open(self):
        cookie, self.replica = await asyncio.to_thread(page_load, self.base)
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        self.ws = await websockets.connect(
            url, subprotocols=["streamlit"], origin=self.base, max_size=None,
            additional_headers={"Cookie": cookie} if cookie else {}, open_timeout=60,
            ping_interval=None)
        await self.run()

    def _state(self, fragment_id="", trigger=None) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = "" if self.page_hash else "class"
        state.fragment_id = fragment_id
        state.is_auto_rerun = bool(fragment_id) and trigger is None
        for wid, (kind, value) in self.values.items():
            w = state.widget_states.widgets.add()
            w.id = wid
            setattr(w, kind, value)
        if trigger is not None:
            w = state.widget_states.widgets.add()
            w.id = trigger
            w.trigger_value = True
        return msg.SerializeToString()

    async def run(self, fragment_id="", trigger=None, on_message=None) -> list[bytes]:
        """One rerun (the whole page, or a fragment), until its script_finished."""
        async with self.lock:
            await self.ws.send(self._state(fragment_id, trigger))
            raws = []
            while True:
                raw = await self.ws.recv()
                if on_message is not None:
                    on_message(raw)
                raws.append(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "navigation":  # the page this run showed (the browser sends it back)
                    self.page_hash = msg.navigation.page_script_hash
                elif kind == "auto_rerun":
                    self.auto = (msg.auto_rerun.interval, msg.auto_rerun.fragment_id)
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    self._note(msg.delta.new_element, msg.delta.fragment_id)
                elif kind == "script_finished":
                    if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        return raws

    def _note(self, element, fragment_id):
        kind = element.WhichOneof("type")
        if kind in ("text_input", "button"):
            widget = getattr(element, kind)
            self.widgets[widget.label] = widget.id
            self.fragments[widget.id] = fragment_id
        elif kind == "component_instance":
            self.widgets[element.component_instance.component_name] = \
                element.component_instance.id

    def widget(self, part: str) -> str:
        return next(wid for label, wid in self.widgets.items() if part in label)

    async def keep_refreshing(self, until, on_message=None, durations=None):
        """Rerun the auto-rerun fragment on its interval, as the browser's timer does."""
        while time.perf_counter() < until:
            if self.auto is None:
                await asyncio.sleep(0.1)
                continue
            interval, fragment = self.auto
            t0 = time.perf_counter()
            await self.run(fragment, on_message=on_message)
            if durations is not None:
                durations.append(time.perf_counter() - t0)
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - t0)))

    async def close(self):
        if self.ws is not None:
            await self.ws.close()


async def one_run(base: str, store_url: str, n: int, window: float, seed: int) -> dict:
    rng = random.Random(seed)
    store = open_store(store_url)
    code, token = store.create_class()
    question = cq.build("lesson_means")
    number = store.ask(code, token, question)
    lecturer = Session(base, f"class={code}")
    await lecturer.open()
    lecturer.values[lecturer.widget("url_hash")] = ("json_value",
                                                     json.dumps({"hash": f"#owner={token}"}))
    seen: dict[int, float] = {}

    def on_lecturer_message(raw: bytes):
        now = time.perf_counter()
        for hit in NICK.findall(raw):
            seen.setdefault(int(hit), now)

    await lecturer.run(on_message=on_lecturer_message)
    if lecturer.auto is None:
        raise RuntimeError("the lecturer's view has no live fragment (is the token right?)")
    students = [Session(base, f"join={code}") for _ in range(n)]
    for s in students:  # join one after another, as a room does
        await s.open()
    replicas = statistics.multimode([s.replica for s in students]) if students else []
    spread = {r: sum(s.replica == r for s in students) for r in {s.replica for s in students}}
    sent_at, confirm, refused = {}, [], []
    lect_durations: list[float] = []
    start = time.perf_counter()
    until = start + window + 30
    stop = asyncio.Event()

    async def answer(i: int, s: Session):
        await asyncio.sleep(max(0.0, start + (i + rng.random()) * window / n
                                - time.perf_counter()))
        s.values[s.widget("Nickname")] = ("string_value", f"bs{i:03d}z")
        s.values[s.widget(TYPED_LABEL)] = ("string_value",
                                           f"{rng.uniform(-4, 0):.2f}, {rng.uniform(0, 4):.2f}")
        t0 = time.perf_counter()
        sent_at[i] = t0
        button = s.widget("Send typed answer")
        # as the browser does: a button inside a fragment reruns that fragment
        raws = await s.run(s.fragments.get(button, ""), trigger=button)
        confirm.append(time.perf_counter() - t0)
        if not any(b"Your answer is in" in r for r in raws):
            refused.append(i)

    async def lecturer_loop():
        while not stop.is_set() and time.perf_counter() < until:
            interval, fragment = lecturer.auto
            t0 = time.perf_counter()
            await lecturer.run(fragment, on_message=on_lecturer_message)
            lect_durations.append(time.perf_counter() - t0)
            if len(seen) >= n and len(sent_at) >= n:
                stop.set()
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - t0)))

    watchers = [asyncio.create_task(s.keep_refreshing(start + window + 2)) for s in students]
    lect = asyncio.create_task(lecturer_loop())
    await asyncio.gather(*(answer(i, s) for i, s in enumerate(students)))
    sent_done = time.perf_counter() - start
    await lect
    for w in watchers:
        w.cancel()
    await asyncio.gather(*watchers, return_exceptions=True)
    latencies = [seen[i] - sent_at[i] for i in sent_at if i in seen]
    stored = store.count(code, number)
    for s in [lecturer, *students]:
        await s.close()
    confirmed = n - len(refused)
    return dict(n=n, sent=len(sent_at), confirmed=confirmed, stored=stored,
                lost=confirmed - stored, shown=len(latencies), sent_within=sent_done,
                p50=statistics.median(latencies), p95=percentile(latencies, 0.95),
                max=max(latencies), confirm_p50=statistics.median(confirm),
                confirm_p95=percentile(confirm, 0.95), refreshes=len(lect_durations),
                refresh_p95=percentile(lect_durations, 0.95), spread=spread,
                replicas=replicas)


def start_config(name: str, store_url: str):
    if name == "single":
        port = free_port()
        proc = start_replica(port, store=store_url)
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc, "server")
        return f"http://127.0.0.1:{port}", lambda: stop_process(proc)
    if name.startswith("proxy"):
        deployment = Deployment(replicas=int(name[5:] or 2), store=store_url).start()
        return deployment.url, deployment.stop
    raise ValueError(f"unknown configuration {name!r}: single or proxyR")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--window", type=float, default=10.0,
                        help="seconds over which the students send their answers")
    parser.add_argument("--configs", default="proxy2")
    parser.add_argument("--store", default="sqlite",
                        help="sqlite (a fresh temporary file) or a redis:// URL")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()}; "
          f"{args.students} students answer within {args.window:g} s", flush=True)
    print("config   store   N  confirmed stored lost shown  p50 ms  p95 ms  max ms  "
          "confirm p50/p95 ms  lecturer refreshes (p95 ms)  students per replica", flush=True)
    with tempfile.TemporaryDirectory(prefix="em-class-bench-") as folder:
        for r in range(args.rounds):
            for name in args.configs.split(","):
                store_url = (f"sqlite:///{folder}/classes-{r}-{name}.sqlite3"
                             if args.store == "sqlite" else args.store)
                base, stop = start_config(name, store_url)
                try:
                    res = asyncio.run(one_run(base, store_url, args.students, args.window,
                                              args.seed + r))
                finally:
                    stop()
                kind = "sqlite" if args.store == "sqlite" else "redis"
                print(f"{name:7s} {kind:6s} {res['n']:3d} {res['confirmed']:9d} "
                      f"{res['stored']:6d} {res['lost']:4d} {res['shown']:5d} "
                      f"{res['p50'] * 1e3:7.0f} {res['p95'] * 1e3:7.0f} "
                      f"{res['max'] * 1e3:7.0f}  {res['confirm_p50'] * 1e3:7.0f}/"
                      f"{res['confirm_p95'] * 1e3:<7.0f}     {res['refreshes']:5d} "
                      f"({res['refresh_p95'] * 1e3:.0f})              "
                      f"{sorted(res['spread'].values())}   (sent within "
                      f"{res['sent_within']:.1f} s; load {os.getloadavg()[0]:.2f})",
                      flush=True)


if __name__ == "__main__":
    main()
