"""Page switches in headless Chromium: the app against a bare Streamlit multipage app.

For each app, in alternating order, ``--rounds`` times, a fresh browser context:
  * first load of ``/`` (Step by step);
  * a switch to each page by its sidebar link (Initializations, Model selection,
    Applications, Lesson, back to Step by step);
  * the Lesson's "Open Step by step" (the Covariance types stop, after a pick and "Reveal
    the four fits", not timed; the bare app has the same button).
Each is timed from the action to (a) the new page's title on screen ("title") and (b) the
script run finished and painted ("done": every chart and number of that run). Medians.

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


def timed(page, counter, action, title):
    """(seconds to the title, seconds to the finished run) of ``action``."""
    before = counter.finished
    t0 = time.perf_counter()
    action()
    page.wait_for_function(
        """(ts) => [...document.querySelectorAll('h1')].some(h => ts.includes(h.innerText.trim()))
                || (ts.includes('Lesson') && [...document.querySelectorAll(
                    '[data-testid="stProgress"]')].some(p => p.innerText.includes('Stop ')))""",
        arg=MARKS.get(title, [title]), timeout=120_000, polling="raf")
    t_title = time.perf_counter() - t0
    idle(page, counter, before)
    return t_title, time.perf_counter() - t0


def one_round(browser, url) -> dict[str, tuple[float, float]]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    counter = RunCounter(page)
    out = {"first load": timed(page, counter, lambda: page.goto(url), "Step by step")}
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
            one_round(browser, servers["app"][1])  # warm-up: imports, caches, Plotly.js
            one_round(browser, servers["bare"][1])
            for r in range(args.rounds):
                order = ("app", "bare") if r % 2 == 0 else ("bare", "app")
                for name in order:
                    results[name].append(one_round(browser, servers[name][1]))
            browser.close()
    finally:
        for proc, _ in servers.values():
            stop(proc)
    rows = list(results["app"][0])
    print(f"{args.rounds} rounds, medians (s); title = the page's title shown, "
          "done = its script run finished and painted")
    print("| what | app: title | app: done | bare app: done | app done / bare |")
    print("|---|--:|--:|--:|--:|")
    for row in rows:
        title = statistics.median(r[row][0] for r in results["app"])
        done = statistics.median(r[row][1] for r in results["app"])
        bare = statistics.median(r[row][1] for r in results["bare"])
        print(f"| {row} | {title:.2f} | {done:.2f} | {bare:.2f} | {done / bare:.1f}× |")


if __name__ == "__main__":
    main()
