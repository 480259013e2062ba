"""Browser tests: a real `streamlit run app.py` and headless Chromium driven by Playwright.

No skipping: if the server or the browser cannot start, the fixtures fail.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(script: str, port: int, cwd=ROOT) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError("streamlit did not become healthy within 60 s")


def stop(proc: subprocess.Popen):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def server():
    """One app server per test module (a module may define its own)."""
    port = free_port()
    proc = start_streamlit("app.py", port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.fixture(scope="session")
def app_server():
    port = free_port()
    proc = start_streamlit("app.py", port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


def launch_chromium(playwright, extra_args=()):
    """Headless Chromium with ``CHROMIUM_ARGS`` (Debian's own build when installed)."""
    kwargs = dict(headless=True, args=CHROMIUM_ARGS + list(extra_args))
    if Path(DEBIAN_CHROMIUM).exists():
        kwargs["executable_path"] = DEBIAN_CHROMIUM
    return playwright.chromium.launch(**kwargs)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


class RunCounter:
    """Counts the script runs (whole page or fragment) that finished, from Streamlit's own
    websocket messages (``ForwardMsg.script_finished``), so a test can wait for *its* rerun.

    (The page's ``data-test-script-state`` attribute is not enough: a quick fragment run
    delivers "running" and "finished" in one batch and the attribute never shows "running".)
    """

    def __init__(self, page):
        self.finished = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_frame(self, payload):
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg: nothing to count
            return
        if (msg.WhichOneof("type") == "script_finished"
                and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN):
            self.finished += 1


_COUNTERS: dict[int, RunCounter] = {}


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    _COUNTERS[id(page)] = RunCounter(page)
    page.set_default_timeout(60_000)
    yield page
    _COUNTERS.pop(id(page), None)
    context.close()


def runs(page) -> int:
    """Script runs finished so far on this page (0 for pages not made by the fixture)."""
    counter = _COUNTERS.get(id(page))
    return 0 if counter is None else counter.finished


def wait_for_app_idle(page, since: int | None = None, timeout=60_000):
    """Wait until a script run that finished after ``since`` (a ``runs(page)`` value taken
    before the action) is over and nothing is running; without ``since``, any idle."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        done = since is None or runs(page) > since
        if done and page.evaluate(
                """() => {
                    const app = document.querySelector('[data-testid="stApp"]');
                    return !!app && app.getAttribute('data-test-script-state') !== 'running';
                }"""):
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"no script run finished within {timeout} ms "
                               f"(runs before {since}, now {runs(page)})")
        page.wait_for_timeout(30)  # poll: also lets Playwright deliver websocket events
    next_frames(page)  # the browser has painted what the run sent


def next_frames(page, n=2):
    """Wait until the browser has painted ``n`` more frames (rather than a fixed time)."""
    page.evaluate("""(n) => new Promise(done => {
        const step = k => k ? requestAnimationFrame(() => step(k - 1)) : done();
        step(n);
    })""", n)


#: The iframes of the live charts (ui/live_chart.py), in page order.
LIVE_CHART = 'iframe[title="ui.live_chart.live_chart"]'

#: JS expression: the revision each live chart last drew (undefined before its first).
DRAWN_REVISIONS = f"""[...document.querySelectorAll('{LIVE_CHART}')].map(f =>
    f.contentDocument && f.contentDocument.body ? f.contentDocument.body.dataset.drawn
                                                : undefined)"""


def wait_for_charts(page, timeout=30_000):
    """Wait until every live chart has drawn its figure: its iframe has loaded Plotly.js, so
    the page has stopped shifting under the pointer."""
    page.wait_for_function(f"() => {DRAWN_REVISIONS}.every(d => d !== undefined)",
                           timeout=timeout)


def wait_for_chart(page, nth, condition, arg=None, timeout=30_000):
    """Wait until JS ``condition`` holds for the nth live chart's Plotly div ``el`` (drawn at
    least once); ``arg`` is passed along."""
    page.wait_for_function(
        f"""([nth, arg]) => {{
            const f = document.querySelectorAll('{LIVE_CHART}')[nth];
            const el = f && f.contentDocument && f.contentDocument.querySelector('#chart');
            return !!el && !!el.layout && ({condition});
        }}""", arg=[nth, arg], timeout=timeout)


def click_point(page, point):
    """Click a Plotly point the way a person does: hover first (Plotly picks the clicked
    point from its hover state), then click."""
    point.scroll_into_view_if_needed()
    point.hover(force=True)
    # Plotly has picked the hovered point (its hover data is set on the chart's div: a live
    # chart in its iframe, or an st.plotly_chart in the page)
    handle = point.element_handle()
    handle.owner_frame().wait_for_function(
        "p => { const el = p.closest('.js-plotly-plot');"
        " return !!el && !!el._hoverdata && el._hoverdata.length > 0; }", arg=handle)
    act(page, lambda: point.click(force=True))


def act(page, action, timeout=60_000):
    """Do ``action()`` (a click, a key press, a file upload) and wait for its rerun."""
    before = runs(page)
    action()
    try:
        wait_for_app_idle(page, since=before, timeout=timeout)
    except Exception:
        state = [runs(page), page.evaluate("""() => document.querySelector(
            '[data-testid="stApp"]')?.getAttribute('data-test-script-state')""")]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "FAILED_act.png"))
        raise AssertionError(f"no rerun finished after the action: runs before {before}, "
                             f"now {state[0]}, script state {state[1]!r}") from None


def screenshot(page, name: str):
    """Save a full-height screenshot to tests/browser/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]')
                || document.querySelector('section.main') || document.body;
            return Math.max(main.scrollHeight, document.body.scrollHeight);
        }"""
    )
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 800), 4000)})
    next_frames(page, 3)
    wait_for_charts(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def open_select(page, label, exact=True):
    """Open a select box's option list the way a person does: scroll it to the middle of
    its pane first (a box at the bottom edge of the sidebar opens its list off screen)."""
    box = page.get_by_role("combobox", name=label, exact=exact)
    box.evaluate("el => el.scrollIntoView({block: 'center'})")
    box.click()



def device_page(browser, **context):
    """A page of a new browser context (``context``: viewport, is_mobile, has_touch…) with
    its run counter; close it with ``close_device_page``."""
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    _COUNTERS[id(page)] = RunCounter(page)
    return ctx, page


def close_device_page(ctx, page):
    _COUNTERS.pop(id(page), None)
    ctx.close()


def open_laid_out(page, url, path, layout):
    """Open a page and wait until it is laid out for ``layout`` ("phone" or "wide": the
    width probe of ui/device.py has reported) and has settled, its live charts drawn."""
    page.goto(f"{url}/{path}")
    page.wait_for_selector(f".st-key-device_probe_{layout}", state="attached",
                           timeout=180_000)
    page.wait_for_selector('[data-testid="stMain"] h1, [data-testid="stProgress"]',
                           timeout=180_000)
    wait_for_app_idle(page, timeout=120_000)
    wait_for_charts(page)
