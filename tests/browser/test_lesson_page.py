"""The Lesson page in headless Chromium against a real `streamlit run app.py`: walked from
the first stop to the scores at 1400×1000, predicting at both predict stops; one stop fits a
1024×576 screen. Screenshots of every stop go to tests/browser/screenshots/lesson_*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    SCREENSHOTS,
    act,
    free_port,
    screenshot,
    start_streamlit,
    stop,
    wait_for_app_idle,
)

N_STOPS = 11


@pytest.fixture(scope="module")
def server():
    port = free_port()
    proc = start_streamlit("app.py", port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


def open_lesson(page, url, stop=None):
    page.goto(f"{url}/lesson" + (f"?stop={stop}" if stop else ""))
    page.wait_for_selector('[data-testid="stProgress"]', timeout=60_000)
    wait_for_app_idle(page)


def progress_text(page) -> str:
    return page.locator('[data-testid="stProgress"]').inner_text()


def metric(page, label):
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]',
                         has_text=re.compile(f"^{re.escape(label)}$")))
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def press(page, name):
    act(page, page.get_by_role("button", name=name).first.click)


def test_walk_the_lesson_start_to_end(page, server):
    open_lesson(page, server)
    for n in range(1, N_STOPS + 1):
        assert progress_text(page).startswith(f"Stop {n} of {N_STOPS}")
        expect(page.get_by_text("Notice:", exact=False).first).to_be_visible()
        if n in (1, 2, 4, 5, 6, 7, 8, 9, 10):
            # Plotly.js loads lazily: its first chart can take a while
            expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        if n == 3:
            press(page, "Draw 20")
            press(page, "Draw 200")
            act(page, page.get_by_text("Take the colours away").click)
            expect(page.get_by_text("This is what EM sees").first).to_be_visible()
        if n == 4:
            press(page, "Reveal γ")
            expect(page.get_by_text("Your guess was off by")).to_be_visible()
        if n == 5:
            press(page, "Reveal the M-step")
            expect(page.get_by_text("Mean distance from your guesses")).to_be_visible()
        if n == 6:
            press(page, "Run to convergence")
            assert metric(page, "Stopped") == "yes: |change| < tol"
        screenshot(page, f"lesson_{n:02d}")
        press(page, "Next →" if n < N_STOPS else "See your scores →")
    expect(page.get_by_role("heading", name="Lesson: your scores")).to_be_visible()
    total = metric(page, "Total")
    assert re.fullmatch(r"\d+ / 200", total), total
    screenshot(page, "lesson_12_scores")


@pytest.mark.parametrize("size, stops", [((1024, 576), (4,)), ((900, 800), (2, 5, 9))])
def test_stops_at_smaller_sizes(browser, server, size, stops):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    from .conftest import _COUNTERS, RunCounter

    _COUNTERS[id(page)] = RunCounter(page)
    try:
        for n in stops:
            open_lesson(page, server, n)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"lesson_{n:02d}_{size[0]}x{size[1]}_view.png"))
            if size == (1024, 576):
                # the prediction slider, the reveal button and the chart fit on the screen
                for loc in (page.get_by_role("button", name="Reveal γ"),
                            page.locator(".js-plotly-plot").first):
                    box = loc.bounding_box()
                    assert box and box["y"] >= 0 and box["y"] + box["height"] <= size[1], box
            screenshot(page, f"lesson_{n:02d}_{size[0]}x{size[1]}")
    finally:
        _COUNTERS.pop(id(page), None)
        context.close()
