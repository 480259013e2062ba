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


@pytest.fixture(scope="session")
def app_server():
    port = free_port()
    proc = start_streamlit("app.py", port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        kwargs = dict(headless=True, args=CHROMIUM_ARGS)
        if Path(DEBIAN_CHROMIUM).exists():
            kwargs["executable_path"] = DEBIAN_CHROMIUM
        browser = p.chromium.launch(**kwargs)
        yield browser
        browser.close()


# Counts finished script runs: window.__runs goes up each time Streamlit's script state
# turns from "running" to "notRunning", so a test can wait for *its* rerun, not any idle.
COUNT_RUNS = """
window.__runs = 0;
new MutationObserver((records) => {
  for (const r of records) {
    const now = r.target.getAttribute('data-test-script-state');
    if (r.oldValue === 'running' && now !== 'running') window.__runs += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(COUNT_RUNS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def runs(page) -> int:
    return page.evaluate("() => window.__runs || 0")


def wait_for_app_idle(page, since: int | None = None, timeout=30_000):
    """Wait until a script run that finished after ``since`` (a ``runs(page)`` value taken
    before the action) is over and nothing is running; without ``since``, any idle."""
    page.wait_for_function(
        """(since) => {
            const app = document.querySelector('[data-testid="stApp"]');
            const idle = app && app.getAttribute('data-test-script-state') !== 'running';
            return idle && (since === null || (window.__runs || 0) > since);
        }""",
        arg=since,
        timeout=timeout,
    )
    page.wait_for_timeout(150)  # let the browser paint what the run sent


def act(page, action, timeout=30_000):
    """Do ``action()`` (a click, a key press, a file upload) and wait for its rerun."""
    before = runs(page)
    action()
    wait_for_app_idle(page, since=before, timeout=timeout)


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
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)
