"""Exports in headless Chromium: the HTML replay opened from disk with networking off, a
JSON round trip through the sidebar's uploader, and the charts' PNG/SVG at slide size."""

import re
import struct

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, act, screenshot, wait_for_app_idle
from .test_step_page import choose, metric, metric_value, open_app, press

EXPORT = "Export: parameters, history, replay, figures"


def open_exports(page):
    summary = page.get_by_text(EXPORT, exact=True)
    summary.scroll_into_view_if_needed()
    summary.click()
    expect(page.get_by_role("button", name=re.compile("Replay \\(HTML\\)"))).to_be_visible()


def download(page, label, path):
    """Press a download button; the file the browser got, saved at ``path``."""
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=re.compile(re.escape(label))).click()
    info.value.save_as(path)
    return path


def test_replay_html_plays_offline(app_server, page, browser, tmp_path):
    open_app(page, app_server)
    press(page, "Run to convergence")
    last_iteration = metric(page, "Iteration")
    last_ll = float(metric(page, "Log-likelihood").replace(",", ""))
    open_exports(page)
    screenshot(page, "exports_section")
    html = download(page, "Replay (HTML)", tmp_path / "replay.html")
    assert 3_000_000 < html.stat().st_size < 8_000_000

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_offline(True)
    requested = []

    def only_files(route):
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_files)
    replay = context.new_page()
    try:
        replay.goto(html.as_uri())
        replay.wait_for_function(
            "() => { const el = document.getElementById('replay');"
            " return !!el && !!el._fullLayout && el.querySelectorAll('.point').length > 500; }",
            timeout=60_000)
        assert all(u.startswith("file://") for u in requested), requested
        title = replay.locator(".gtitle")
        assert title.text_content().startswith("start (iteration 0)")
        expect(replay.get_by_text(re.compile("K = 3, covariance type full, start: k-means"))
               ).to_be_visible()
        replay.screenshot(path=str(SCREENSHOTS / "exports_replay_start.png"))
        # Play: the frames move on by themselves.
        replay.locator(".updatemenu-button", has_text="Play").click()
        expect(title).to_have_text(re.compile("^iteration \\d+ · [EM]-step"), timeout=30_000)
        replay.locator(".updatemenu-button", has_text="Pause").click()
        # The slider: its right end is the last half-step, as the app ended.
        rail = replay.locator(".slider-rail-rect")
        box = rail.bounding_box()
        replay.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
        expect(title).to_have_text(re.compile(
            f"^iteration {last_iteration} · M-step · log-likelihood {last_ll:,.2f}$"))
        last_step = replay.locator(".slider-step-label, .slider-label").first.text_content()
        assert last_step.startswith("half-step ") and int(last_step.split()[-1]) > 20
        replay.screenshot(path=str(SCREENSHOTS / "exports_replay_end.png"))
    finally:
        context.close()


def test_json_round_trip_restarts_the_same_run(app_server, page, tmp_path):
    open_app(page, app_server)
    press(page, "Full iteration")
    press(page, "Full iteration")
    at_two = metric(page, "Log-likelihood")
    open_exports(page)
    saved = download(page, "Parameters (JSON)", tmp_path / "start.json")
    press(page, "Full iteration")
    press(page, "Full iteration")
    at_four = metric(page, "Log-likelihood")

    choose(page, "Initialisation", "parameters from a file (.json)")
    expect(page.get_by_text("Upload a parameters file")).to_be_visible()
    assert metric(page, "Log-likelihood") == at_four  # no file yet: the run stays
    bad = tmp_path / "bad.json"
    bad.write_text('{"weights": [0.5, 0.5]')
    upload = page.locator('[data-testid="stSidebar"] [data-testid="stFileUploaderDropzoneInput"]')
    act(page, lambda: upload.set_input_files(str(bad)))
    expect(page.get_by_text(re.compile("bad.json cannot be used: The file is not valid JSON"))
           ).to_be_visible()
    assert metric(page, "Log-likelihood") == at_four
    screenshot(page, "exports_bad_start_file")

    act(page, lambda: upload.set_input_files(str(saved)))
    expect(metric_value(page, "Iteration")).to_have_text("0", timeout=15_000)
    wait_for_app_idle(page)
    assert metric(page, "Log-likelihood") == at_two
    expect(page.get_by_text(re.compile("Start: start.json \\(K = 3, full"))).to_be_visible()
    screenshot(page, "exports_file_start")
    press(page, "Full iteration")
    press(page, "Full iteration")
    assert metric(page, "Log-likelihood") == at_four


def _png_size(data: bytes):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("title, check", [
    ("Download plot as a PNG", lambda data: _png_size(data) == (1920, 1080)),
    ("Download plot as SVG (vector, for slides)",
     lambda data: b"<svg" in data[:2000] and b'width="960"' in data[:2000]),
])
def test_chart_images_at_slide_size(app_server, page, tmp_path, title, check):
    open_app(page, app_server)
    press(page, "Full iteration")
    frame = page.frame_locator('iframe[title="ui.live_chart.live_chart"]').first
    frame.locator(".main-svg").first.hover()
    button = frame.locator(f'.modebar-btn[data-title="{title}"]')
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / "chart"
    info.value.save_as(path)
    assert check(path.read_bytes())
