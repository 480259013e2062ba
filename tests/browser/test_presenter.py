"""Presenter mode in headless Chromium: at a projector's 1024 × 576 and 1280 × 720 the
stepping buttons and both charts are on screen without scrolling, the toolbar is gone, every
chart's text is at least 18 px; and with it off (1400 × 1000) the page is as before."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import LIVE_CHART, SCREENSHOTS, act, next_frames, wait_for_app_idle, wait_for_chart
from .test_step_page import metric, open_app, press

#: JS: the font sizes (px) of every non-empty SVG text of the Plotly charts in a document.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('.js-plotly-plot svg text')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)])"""


def viewport_shot(page, name):
    """What the screen shows, without scrolling (not the full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    next_frames(page, 3)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def chart_text_sizes(page, nth):
    frame = page.locator(LIVE_CHART).nth(nth).element_handle().content_frame()
    return frame.evaluate(CHART_TEXT_SIZES)


def assert_on_screen(page, locator, what):
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None, what
    inside = (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"]
              and box["y"] + box["height"] <= size["height"])
    assert inside, (what, box, size)


@pytest.mark.parametrize("width,height", [(1024, 576), (1280, 720)])
def test_buttons_and_both_charts_fit_a_projector(app_server, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, app_server + "/?present=1")
    wait_for_chart(page, 1, "el.data.length > 0")
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == 0
    buttons = {label: page.get_by_role("button", name=label, exact=True)
               for label in ("E-step", "M-step", "Full iteration", "Exit presenter mode")}
    for label, button in buttons.items():
        assert_on_screen(page, button, label)
    charts = page.locator(LIVE_CHART)
    expect(charts).to_have_count(2)
    assert_on_screen(page, charts.nth(0), "data chart")
    assert_on_screen(page, charts.nth(1), "log-likelihood chart")

    # the sidebar closed; no toolbar, no Deploy
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_test_id("stExpandSidebarButton")).to_be_visible()
    for hidden in ("stAppDeployButton", "stMainMenu", "stToolbarActions"):
        expect(page.get_by_test_id(hidden)).to_be_hidden()  # absent, or not shown

    for nth in (0, 1):
        sizes = chart_text_sizes(page, nth)
        assert len(sizes) > 8, sizes  # title, axis titles, ticks, legend
        small = [(text, px) for text, px in sizes if px < 18]
        assert not small, small
    viewport_shot(page, f"presenter_{width}x{height}")

    press(page, "Full iteration")
    assert metric(page, "Iteration") == "1" and metric(page, "Phase") == "M-step"
    wait_for_chart(page, 1, "el.data.some(t => t.name === 'M-step')")
    for label in ("Full iteration", "M-step"):
        assert_on_screen(page, buttons[label], label)
    assert_on_screen(page, charts.nth(1), "log-likelihood chart after a step")
    viewport_shot(page, f"presenter_{width}x{height}_after_step")

    # Playing adds the measured rate: under the charts, so the row of buttons stays one row
    press(page, "Play")
    expect(page.get_by_text(re.compile(r"half-steps / s$"))).to_have_count(1)
    for label in ("Pause", "Full iteration"):
        assert_on_screen(page, page.get_by_role("button", name=label, exact=True), label)
    assert_on_screen(page, charts.nth(0), "data chart while playing")
    assert_on_screen(page, charts.nth(1), "log-likelihood chart while playing")
    press(page, "Pause")

    # the stop notice goes under the charts too
    press(page, "Run to convergence")
    expect(page.get_by_text(re.compile("stopped by the rule"))).to_have_count(1)
    assert_on_screen(page, charts.nth(0), "data chart after the run")
    assert_on_screen(page, charts.nth(1), "log-likelihood chart after the run")
    viewport_shot(page, f"presenter_{width}x{height}_converged")


def test_exit_brings_the_normal_page_back(app_server, page):
    open_app(page, app_server + "/?present=1")
    act(page, page.get_by_role("button", name="Exit presenter mode").click)
    expect(page.get_by_role("heading", name="EM, one half-step at a time")).to_be_visible()
    page.wait_for_function("() => !location.search.includes('present')")
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
    # the normal charts: the figures' own sizes (13 px text, 15 px title)
    wait_for_chart(page, 0, "el.layout.font.size === 13 && !!el.querySelector('svg text')")
    sizes = chart_text_sizes(page, 0)
    assert min(px for _, px in sizes) < 18
    viewport_shot(page, "presenter_off_1400x1000")

    # and on again from the sidebar's toggle
    act(page, page.get_by_text("Presenter mode", exact=True).click)
    page.wait_for_function("() => location.search.includes('present=1')")
    expect(page.get_by_role("button", name="Exit presenter mode")).to_be_visible()
    wait_for_app_idle(page)


def test_other_pages_get_big_chart_text(app_server, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_server + "/lesson?present=1")
    page.wait_for_selector(".js-plotly-plot svg text", timeout=180_000)
    wait_for_app_idle(page)
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    sizes = page.evaluate(CHART_TEXT_SIZES)
    assert len(sizes) > 8, sizes
    small = [(text, px) for text, px in sizes if px < 18]
    assert not small, small
    viewport_shot(page, "presenter_lesson_1280x720")
