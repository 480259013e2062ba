"""Click-to-idle time of "Full iteration": EM Playground against a bare Streamlit app.

Both apps run under `streamlit run` on localhost and are driven by headless Chromium. The
timer starts at the click and stops when the "Iteration" metric shows the new value,
Streamlit reports the script finished, and every live chart (ui/live_chart.py) reports the
new figure drawn. Clicks alternate between the apps; medians reported.

    .venv/bin/python bench/bench_clicks.py [--clicks 15] [--default-only]
"""

from __future__ import annotations

import argparse
import statistics
import time

from _browser import (
    DRAWN_REVISIONS,
    ROOT,
    free_port,
    launch_chromium,
    start_streamlit,
    stop,
    wait_for_app_idle,
)
from playwright.sync_api import sync_playwright

METRIC = """() => {
  const boxes = [...document.querySelectorAll('[data-testid="stMetric"]')];
  const box = boxes.find(b => b.innerText.startsWith('Iteration'));
  return box ? box.querySelector('[data-testid="stMetricValue"]').innerText.trim() : null;
}"""

CHARTS = f"() => {DRAWN_REVISIONS}"

DONE = """([old, charts]) => {
  const boxes = [...document.querySelectorAll('[data-testid="stMetric"]')];
  const box = boxes.find(b => b.innerText.startsWith('Iteration'));
  const value = box && box.querySelector('[data-testid="stMetricValue"]').innerText.trim();
  const app = document.querySelector('[data-testid="stApp"]');
  const running = app && app.getAttribute('data-test-script-state') === 'running';
  const drawn = DRAWN_REVISIONS;
  const chartsDone = drawn.length === charts.length && drawn.every((d, i) => d !== charts[i]);
  return value !== null && value !== old && !running && chartsDone
      && !document.querySelector('[data-testid="stStatusWidget"]');
}""".replace("DRAWN_REVISIONS", DRAWN_REVISIONS)


def click_to_idle(page) -> float:
    old = page.evaluate(METRIC)
    charts = page.evaluate(CHARTS)
    button = page.get_by_role("button", name="Full iteration", exact=True)
    t0 = time.perf_counter()
    button.click()
    page.wait_for_function(DONE, arg=[old, charts], timeout=60_000, polling="raf")
    return time.perf_counter() - t0


def set_points(page, n_max: bool):
    """Drag nothing: focus the "Number of points" slider and press End for 20,000."""
    if not n_max:
        return
    slider = page.get_by_role("slider", name="Number of points")
    slider.focus()
    slider.press("End")
    wait_for_app_idle(page)
    page.wait_for_timeout(1000)


def measure(browser, urls, clicks, n_max):
    pages = {}
    for name, url in urls.items():
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
        wait_for_app_idle(page)
        if name == "EM Playground":
            set_points(page, n_max)
        for _ in range(2):  # warm-up
            click_to_idle(page)
        pages[name] = page
    times = {name: [] for name in urls}
    for _ in range(clicks):
        for name, page in pages.items():
            times[name].append(click_to_idle(page))
    for page in pages.values():
        page.close()
    return {name: statistics.median(v) for name, v in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clicks", type=int, default=15)
    parser.add_argument("--default-only", action="store_true",
                        help="only the default dataset (600 points)")
    args = parser.parse_args()
    ports = {"EM Playground": free_port(), "bare app": free_port()}
    procs = [start_streamlit("app.py", ports["EM Playground"]),
             # The bare app runs from its own folder, away from .streamlit/config.toml:
             # Streamlit's defaults, as a bare app would have.
             start_streamlit(str(ROOT / "bench" / "bare_app.py"), ports["bare app"],
                             cwd=ROOT / "bench")]
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            print(f"{args.clicks} alternating clicks each, medians of click-to-idle seconds")
            for label, n_max in (("default dataset (600 points)", False),
                                 ("20,000 points", True))[: 1 if args.default_only else 2]:
                med = measure(browser, urls, args.clicks, n_max)
                ratio = med["EM Playground"] / med["bare app"]
                print(f"{label:30s} EM Playground {med['EM Playground']:.3f} s, "
                      f"bare app {med['bare app']:.3f} s, ratio {ratio:.2f}x", flush=True)
            browser.close()
    finally:
        for proc in procs:
            stop(proc)


if __name__ == "__main__":
    main()
