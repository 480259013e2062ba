"""What the Step by step page's Export section costs per click, and what its files cost.

1. Script time of a "Full iteration" click (AppTest, the first screen) with the Export
   section and with it replaced by nothing, alternating; medians. The CSV and the HTML are
   callables made only when their button is pressed, so a click should cost the same.
2. Time and size of each export of the first screen's whole run (15 iterations, 31
   half-steps), and of a 20,000-point run (sampled to 1,000 points in the replay).

    .venv/bin/python bench/bench_exports.py [--clicks 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gmm_core import EMEngine  # noqa: E402
from ui import data as data_mod  # noqa: E402
from ui import exports  # noqa: E402


def click_times(clicks: int):
    from app_pages.step_by_step import exports as page_exports
    from tests.pages.apptest import button, open_app

    real = page_exports.exports_ui
    apps = {"with Export": open_app(), "without": open_app()}
    times = {name: [] for name in apps}
    for i in range(clicks):
        for name, at in (apps.items() if i % 2 == 0 else reversed(apps.items())):
            page_exports.exports_ui = real if name == "with Export" else (lambda *a, **k: None)
            if i % 14 == 13:  # the run converges after 15 iterations: start again
                button(at, "Reset").click().run()
            b = button(at, "Full iteration")
            t0 = time.perf_counter()
            b.click().run()
            times[name].append(time.perf_counter() - t0)
    page_exports.exports_ui = real
    return {name: statistics.median(t) * 1000 for name, t in times.items()}


def export_costs(n: int):
    ds = data_mod.load(data_mod.DEFAULT_DATASET, n=n, seed=1, columns=())
    engine = EMEngine(ds.X, 3, random_state=0)
    engine.run(100)
    history = engine.history
    out = {}
    for name, make in {
        "JSON": lambda: exports.parameters_json(history[-1]),
        "CSV": lambda: exports.history_csv(history, ds.feature_names),
        "HTML": lambda: exports.replay_html(ds.X, history, title="t", caption="c",
                                            feature_names=ds.feature_names,
                                            same_units=ds.same_units),
    }.items():
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            text = make()
            runs.append(time.perf_counter() - t0)
        out[name] = (statistics.median(runs) * 1000, len(text.encode()) / 1e6)
    return len(history), out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=30)
    args = parser.parse_args()
    for n in (600, 20_000):
        records, costs = export_costs(n)
        print(f"{n:,} points, {records} half-steps:")
        for name, (ms, mb) in costs.items():
            print(f"  {name:5s} {ms:8.1f} ms  {mb:6.2f} MB")
    medians = click_times(args.clicks)
    print(f"'Full iteration' script time, median of {args.clicks} alternating clicks:")
    for name, ms in medians.items():
        print(f"  {name:12s} {ms:6.1f} ms")


if __name__ == "__main__":
    main()
