"""Drag rate of "Grab a component" (issue 22): updates per second the chart reports while a
mean is dragged with Playwright's mouse, at 600 and 5,000 points.

`streamlit run app.py` on localhost, headless Chromium at 1400×1000. For each size: the
first screen's run with that many points, one Full iteration, "Grab a component" on; then
``--drags`` drags of component 1's mean, each ``--moves`` mouse moves round a circle of
60 px. An *update* is one E-step in the browser plus the redraw it causes (drag.js counts
them on ``window.emDrag`` with their times). Reported, medians over the drags:

* updates/s: (updates − 1) / (time from the first to the last update), page clock;
* moves/s: the mouse moves Playwright delivered per second (the ceiling of the rate: one
  update per frame that has a new position);
* ms/update: the E-step plus the redraw call (drag.js's own timer; painting not included).

    .venv/bin/python bench/bench_drag.py [--drags 5] [--moves 60] [--sizes 600 5000]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser import conftest as browser_kit  # noqa: E402

LIVE_CHART = browser_kit.LIVE_CHART
next_frames, wait_for_app_idle = browser_kit.next_frames, browser_kit.wait_for_app_idle


def _frame(page):
    return page.locator(LIVE_CHART).first.element_handle().content_frame()


def _ready(page, revision):
    _frame(page).wait_for_function(
        """r => window.emDrag && window.emDrag.source === 'server' && window.emDrag.revision === r
                && document.querySelectorAll('.drag-handle').length > 0""",
        arg=str(revision), timeout=120_000)


def _open(page, url, n):
    page.goto(f"{url}/?n={n}")
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=180_000)
    wait_for_app_idle(page)
    page.get_by_role("button", name="Full iteration", exact=True).click()
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stMetric"]')]
        .some(b => b.innerText.startsWith('Iteration') && b.innerText.includes('1'))""")
    wait_for_app_idle(page)
    page.get_by_text("Grab a component", exact=True).click()
    _ready(page, 2)


def one_drag(page, moves: int, revision: int):
    frame = _frame(page)
    handle = page.frame_locator(LIVE_CHART).first.locator(
        '.drag-handle[data-component="0"][data-handle="mean"]')
    handle.scroll_into_view_if_needed()
    next_frames(page)
    box = handle.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    u0 = frame.evaluate("() => window.emDrag.updates")
    t0 = time.perf_counter()
    for i in range(1, moves + 1):
        a = 2 * math.pi * i / moves
        page.mouse.move(cx + 60 * math.sin(a), cy - 60 * (1 - math.cos(a)))
    elapsed = time.perf_counter() - t0
    next_frames(page, 3)
    stats = frame.evaluate("""u0 => {
        const d = window.emDrag, k = d.updates - u0, t = d.times.slice(-k);
        return {updates: k, span: t.length > 1 ? (t[t.length - 1] - t[0]) / 1000 : null,
                cost: d.cost};
    }""", u0)
    page.mouse.up()
    _ready(page, revision + 1)
    rate = (stats["updates"] - 1) / stats["span"] if stats["span"] else float("nan")
    return rate, moves / elapsed, stats["cost"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drags", type=int, default=5)
    parser.add_argument("--moves", type=int, default=60)
    parser.add_argument("--sizes", type=int, nargs="+", default=[600, 5000])
    args = parser.parse_args()
    port = browser_kit.free_port()
    proc = browser_kit.start_streamlit("app.py", port)
    url = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = browser_kit.launch_chromium(p)
            print(f"{args.drags} drags of {args.moves} mouse moves each, medians")
            for n in args.sizes:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(120_000)
                _open(page, url, n)
                rates, inputs, costs = [], [], []
                revision = 2
                one_drag(page, 10, revision)  # warm-up
                revision += 1
                for _ in range(args.drags):
                    rate, moves_per_s, cost = one_drag(page, args.moves, revision)
                    revision += 1
                    rates.append(rate)
                    inputs.append(moves_per_s)
                    costs.append(cost)
                print(f"{n:6,d} points: {statistics.median(rates):5.1f} updates/s "
                      f"(range {min(rates):.1f}-{max(rates):.1f}), mouse moves "
                      f"{statistics.median(inputs):5.1f}/s, "
                      f"{statistics.median(costs):5.1f} ms/update (E-step + redraw call)",
                      flush=True)
                page.close()
            browser.close()
    finally:
        browser_kit.stop(proc)


if __name__ == "__main__":
    main()
