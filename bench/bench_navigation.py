"""Page switches in headless Chromium: the app against a bare Streamlit multipage app.

For each app, in alternating order, ``--rounds`` times, a fresh browser context:
  * first load of ``/`` (Step by step);
  * a switch to each page by its sidebar link (Initializations, Model selection,
    Applications, Lesson, back to Step by step);
  * the Lesson's "Open Step by step" (the Covariance types stop, after a pick and "Reveal
    the four fits", not timed; the bare app has the same button).
Each is timed from the action to (a) the new page's title on screen ("title") and (b) the
script run finished and painted and the browser's work for it over ("done": every chart and
number of that run drawn, then 200 ms without a long task, counted to the last one's end; for
the app's first load, the rerun after its width probe reported). Medians.

    .venv/bin/python bench/bench_navigation.py --rounds 5
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from _browser import RunCounter, free_port, launch_chromium, start_streamlit, stop
from playwright.sync_api import sync_playwright

PAGES = [("initializations", "Initializations"), ("model-selection", "Model selection"),
         ("applications", "Applications"), ("lesson", "Lesson"),
         ("step-by-step", "Step by step")]
#: The app's own page headings (the bare app's are the page titles).
MARKS = {"Step by step": ["Step by step", "EM, one half-step at a time"]}
LESSON_STOP = 9  # "Covariance types": its button opens Step by step


def idle(page, counter, since):
    while True:
        if counter.finished > since and page.evaluate(
                """() => document.querySelector('[data-testid="stApp"]')
                        ?.getAttribute('data-test-script-state') !== 'running'"""):
            break
        page.wait_for_timeout(5)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


#: The page is quiet once this long has passed without a long task (a task of 50 ms or more
#: on the browser's main thread): Plotly draws after the run's messages have arrived, and a
#: page's charts still drawing would be counted against the next switch.
QUIET_MS = 200
LONG_TASKS = """() => {
  window.__busyUntil = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries())
      window.__busyUntil = Math.max(window.__busyUntil, e.startTime + e.duration);
  }).observe({type: 'longtask'});
}"""


def quiet(page, t_idle):
    """The perf_counter time the page's work ended: ``t_idle``, or the end of the last long
    task if that came later (waits for QUIET_MS without one)."""
    while True:
        now_js, busy_until = page.evaluate("() => [performance.now(), window.__busyUntil]")
        now = time.perf_counter()
        if now_js - busy_until >= QUIET_MS:
            return max(t_idle, now - (now_js - busy_until) / 1000)
        page.wait_for_timeout(20)


def timed(page, counter, action, title, settled=None):
    """(seconds to the title, seconds to the finished run) of ``action``; with ``settled``
    (a selector only that run draws), the finished run is the one that drew it."""
    before = counter.finished
    t0 = time.perf_counter()
    action()
    page.wait_for_function(
        """(ts) => [...document.querySelectorAll('h1')].some(h => ts.includes(h.innerText.trim()))
                || (ts.includes('Lesson') && [...document.querySelectorAll(
                    '[data-testid="stProgress"]')].some(p => p.innerText.includes('Stop ')))""",
        arg=MARKS.get(title, [title]), timeout=120_000, polling="raf")
    t_title = time.perf_counter() - t0
    if settled:
        page.wait_for_selector(settled, state="attached", timeout=120_000)
    idle(page, counter, before)
    return t_title, quiet(page, time.perf_counter()) - t0


def one_round(browser, url, app: bool) -> dict[str, tuple[float, float]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(f"({LONG_TASKS})()")
    page = context.new_page()
    page.set_default_timeout(120_000)
    counter = RunCounter(page)
    # The app's first load is over when the rerun that follows the width probe's report
    # (ui/device.py) has drawn the page for this window: its container says "wide".
    probe = ".st-key-device_probe_wide" if app else None
    out = {"first load": timed(page, counter, lambda: page.goto(url), "Step by step", probe)}
    for _path, title in PAGES:
        link = page.locator('[data-testid="stSidebarNavLink"]').filter(
            has_text=re.compile(f"{title}$"))
        out[f"to {title}"] = timed(page, counter, link.click, title)
    # The Lesson's button (not timed): its stop opened by URL; the app's button shows once a
    # covariance type is picked and the four fits revealed (the bare app's at once).
    before = counter.finished
    page.goto(f"{url}/lesson?stop={LESSON_STOP}")
    reveal = page.get_by_role("button", name="Reveal the four fits", exact=True)
    opener = page.get_by_role("button", name="Open Step by step")
    reveal.or_(opener).first.wait_for()
    if reveal.count():
        page.locator('[data-testid="stRadio"]').get_by_text("tied", exact=True).first.click()
        reveal.click()
    opener.wait_for()
    idle(page, counter, before - 1 if before else 0)
    quiet(page, 0.0)
    button = page.get_by_role("button", name="Open Step by step")
    out["Lesson → Open Step by step"] = timed(page, counter, button.click, "Step by step")
    context.close()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    servers = {}
    for name, script in (("app", "app.py"), ("bare", "bench/bare_multipage.py")):
        port = free_port()
        servers[name] = (start_streamlit(script, port), f"http://127.0.0.1:{port}")
    results = {"app": [], "bare": []}
    try:
        with sync_playwright() as p:
            browser = launch_chromium(p)
            one_round(browser, servers["app"][1], True)  # warm-up: imports, caches, Plotly.js
            one_round(browser, servers["bare"][1], False)
            for r in range(args.rounds):
                order = ("app", "bare") if r % 2 == 0 else ("bare", "app")
                for name in order:
                    results[name].append(one_round(browser, servers[name][1], name == "app"))
            browser.close()
    finally:
        for proc, _ in servers.values():
            stop(proc)
    rows = list(results["app"][0])
    print(f"{args.rounds} rounds, medians (s); title = the page's title shown, "
          "done = its script run finished and painted, the browser's work for it over")
    print("| what | app: title | app: done | bare app: done | app done / bare |")
    print("|---|--:|--:|--:|--:|")
    for row in rows:
        title = statistics.median(r[row][0] for r in results["app"])
        done = statistics.median(r[row][1] for r in results["app"])
        bare = statistics.median(r[row][1] for r in results["bare"])
        print(f"| {row} | {title:.2f} | {done:.2f} | {bare:.2f} | {done / bare:.1f}× |")


if __name__ == "__main__":
    main()
