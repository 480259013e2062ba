"""Every device: a phone (390 × 844, touch), a tablet (768 × 1024), a laptop (1400 × 1000).

On a phone Step by step puts the data chart on the first screen with the compact buttons
under it, and three taps of "Full iteration" move the chart without any scrolling; a
rotation switches the layout; every page fits the phone's width (nothing wider than the
screen); Initializations keeps one row of lockstep buttons on screen while the runs scroll.
Screenshots of every page at each size go to tests/browser/screenshots/device_*.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import (
    LIVE_CHART,
    act,
    close_device_page,
    device_page,
    open_laid_out,
    screenshot,
    wait_for_app_idle,
)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TABLET = {"viewport": {"width": 768, "height": 1024}, "has_touch": True}
LAPTOP = {"viewport": {"width": 1400, "height": 1000}}
PAGES = ("", "initializations", "model-selection", "applications", "lesson")

#: JS: [document's scrollWidth, innerWidth, the elements of the page that reach past the
#: screen's edge (not inside a box that scrolls or clips them within the screen)].
OVERFLOW = """() => {
  const W = window.innerWidth;
  const clipped = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (['auto', 'scroll', 'hidden', 'clip'].includes(o)
          && a.getBoundingClientRect().right <= W + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stApp"] *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if ((r.right > W + 1 || r.left < -1) && !clipped(el)) {
      out.push([el.tagName, el.getAttribute('data-testid') || String(el.className).slice(0, 40),
                Math.round(r.left), Math.round(r.right), (el.innerText || '').slice(0, 40)]);
    }
  }
  return [document.documentElement.scrollWidth, W, out];
}"""

SCROLLED = """() => [window.scrollY,
    document.querySelector('[data-testid="stMain"]').scrollTop]"""


@pytest.fixture()
def phone(browser):
    context, page = device_page(browser, **PHONE)
    yield page
    close_device_page(context, page)


open_page = open_laid_out


def in_viewport(page, locator, what):
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None, what
    assert (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"]), (what, box, size)


def drawn(page, nth=0):
    return page.locator(LIVE_CHART).nth(nth).evaluate(
        "f => f.contentDocument.body.dataset.drawn || null")


def test_phone_first_screen_three_taps(server, phone):
    page = phone
    open_page(page, server, "", "phone")
    chart = page.locator(LIVE_CHART).first
    status = page.locator(".st-key-status_line")
    expect(status).to_contain_text("Iteration 0")
    for i in (1, 2, 3):
        before = drawn(page)
        button = page.get_by_role("button", name="Full iteration", exact=True)
        in_viewport(page, button, f"Full iteration before tap {i}")
        act(page, button.tap)
        page.locator(LIVE_CHART).first.evaluate(
            "(f, old) => new Promise(done => { const check = () =>"
            " f.contentDocument.body.dataset.drawn !== old ? done() :"
            " requestAnimationFrame(check); check(); })", before)
        assert drawn(page) != before
        expect(status).to_contain_text(f"Iteration {i}")
        in_viewport(page, chart, f"data chart after tap {i}")
        in_viewport(page, status, f"status line after tap {i}")
        assert page.evaluate(SCROLLED) == [0, 0]
    # E-step, M-step and Play sit beside it; the rest is one tap away
    for label in ("E-step", "M-step", "Play"):
        in_viewport(page, page.get_by_role("button", name=label, exact=True), label)
    more = page.get_by_role("button", name="More")
    in_viewport(page, more, "More")
    more.tap()
    expect(page.get_by_role("button", name="Run to convergence")).to_be_visible()
    page.keyboard.press("Escape")
    screenshot(page, "device_phone_step_by_step_after_3_taps")


def test_phone_rotation_switches_the_layout(server, phone):
    page = phone
    open_page(page, server, "", "phone")
    expect(page.locator(".st-key-stepping_row_compact")).to_be_visible()
    page.set_viewport_size({"width": 844, "height": 390})  # landscape: wider than a phone
    page.wait_for_selector(".st-key-device_probe_wide", state="attached")
    wait_for_app_idle(page)
    expect(page.locator(".st-key-stepping_row")).to_be_visible()
    expect(page.locator(".st-key-stepping_row_compact")).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_selector(".st-key-device_probe_phone", state="attached")
    wait_for_app_idle(page)
    expect(page.locator(".st-key-stepping_row_compact")).to_be_visible()


def test_phone_initializations_runs_stack_and_buttons_stay(server, phone):
    page = phone
    open_page(page, server, "initializations", "phone")
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts.first).to_be_visible()
    boxes = [charts.nth(i).bounding_box() for i in range(3)]
    # one run a row, in order: each below the one before, each about the screen's width
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"], boxes
    assert all(b["width"] > 300 for b in boxes), boxes
    charts.nth(2).scroll_into_view_if_needed()
    button = page.get_by_role("button", name="Full iteration", exact=True)
    in_viewport(page, button, "lockstep Full iteration with the third run on screen")
    act(page, button.tap)
    expect(page.get_by_text("iteration 1", exact=False).first).to_be_visible()


@pytest.mark.parametrize("path", PAGES)
def test_phone_nothing_wider_than_the_screen(server, phone, path):
    page = phone
    open_page(page, server, path, "phone")
    scroll_width, width, wide = page.evaluate(OVERFLOW)
    assert scroll_width == width and not wide, (scroll_width, width, wide)
    screenshot(page, f"device_phone_{path or 'step-by-step'}")


@pytest.mark.parametrize("path", PAGES)
def test_tablet_and_laptop_pages(server, browser, path):
    """A tablet (768 × 1024) gets the wide layout, nothing wider than its screen; the
    laptop's screenshot is for looking at."""
    for name, device in (("tablet", TABLET), ("laptop", LAPTOP)):
        context, page = device_page(browser, **device)
        try:
            open_page(page, server, path, "wide")
            if not path:
                expect(page.locator(".st-key-stepping_row")).to_be_visible()
            scroll_width, width, wide = page.evaluate(OVERFLOW)
            assert scroll_width == width and not wide, (name, scroll_width, width, wide)
            screenshot(page, f"device_{name}_{path or 'step-by-step'}")
        finally:
            close_device_page(context, page)
