"""Presenter mode on every page: at a projector's 1024 × 576 and 1280 × 720 each page's main
chart and its controls are on the first screen (no scrolling), and every text on that screen
is at least 18 px: labels, captions, buttons, metric labels, tabs, and the charts' own text
(in the page and in the live charts' frames). Screenshots: presenter_page_*.png."""

from __future__ import annotations

import pytest

from .conftest import LIVE_CHART, SCREENSHOTS, next_frames, wait_for_app_idle, wait_for_charts

#: JS: [text, font size px] of every text on the screen (a text node's element, or an SVG
#: text) that is visible and inside the viewport.
SCREEN_TEXT = """() => {
  const W = window.innerWidth, H = window.innerHeight;
  const seen = (r) => r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                      && r.top < H && r.left < W;
  const out = [];
  const walker = document.createTreeWalker(
      document.querySelector('[data-testid="stMain"]') || document.body,
      NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('svg')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.opacity === '0') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    if (!seen(box)) continue;
    // text clipped away (visually hidden, an overflow-hidden 1 px box) is not seen
    if (box.width <= 1 || box.height <= 1) continue;
    if (el.closest('[data-testid="stTooltipContent"]')) continue;
    out.push([text.slice(0, 40), parseFloat(style.fontSize)]);
  }
  for (const t of document.querySelectorAll('.js-plotly-plot svg text')) {
    const text = t.textContent.trim();
    if (text && seen(t.getBoundingClientRect()))
      out.push([text.slice(0, 40), parseFloat(getComputedStyle(t).fontSize)]);
  }
  return out;
}"""

FRAME_TEXT = """() => [...document.querySelectorAll('.js-plotly-plot svg text')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)])"""

#: Each page: its path, and its main chart and controls (Playwright selectors / roles).
PAGES = {
    "step-by-step": ("", [LIVE_CHART], ["E-step", "M-step", "Full iteration", "Play"]),
    "initializations": ("initializations", ['[data-testid="stPlotlyChart"]'],
                        ["E-step", "M-step", "Full iteration", "Play"]),
    "model-selection": ("model-selection", [".st-key-ms_line_chart"], []),
    "applications": ("applications", ['[data-testid="stPlotlyChart"]'], []),
    "lesson": ("lesson", ['[data-testid="stPlotlyChart"]'], ["Next →"]),
}
CONTROLS = {"applications": ['[data-testid="stTabPanel"] [data-testid="stCheckbox"]'],
            "lesson": ['[data-testid="stSlider"]'],
            "model-selection": [".st-key-ms_controls"]}


def inside(page, box):
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"] + 0.5
            and box["y"] + box["height"] <= size["height"] + 0.5)


@pytest.mark.parametrize("size", [(1024, 576), (1280, 720)])
@pytest.mark.parametrize("name", list(PAGES))
def test_presenter_first_screen(server, browser, name, size):
    path, charts, buttons = PAGES[name]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/{path}?present=1")
        page.wait_for_selector("text=Exit presenter mode", timeout=180_000)
        page.wait_for_selector(f'[data-testid="stPlotlyChart"] svg text, {LIVE_CHART}',
                               timeout=180_000)
        wait_for_app_idle(page, timeout=120_000)
        wait_for_charts(page)
        next_frames(page, 3)
        assert page.evaluate(
            "() => document.querySelector('[data-testid=stMain]').scrollTop") == 0
        for selector in charts:
            box = page.locator(selector).first.bounding_box()
            assert inside(page, box), (name, "main chart", selector, box)
        for label in buttons:
            box = page.get_by_role("button", name=label, exact=True).first.bounding_box()
            assert inside(page, box), (name, label, box)
        for selector in CONTROLS.get(name, []):
            box = page.locator(selector).first.bounding_box()
            assert inside(page, box), (name, selector, box)
        small = [(t, px) for t, px in page.evaluate(SCREEN_TEXT) if px < 18]
        frames = page.locator(LIVE_CHART)
        for i in range(frames.count()):
            if inside(page, frames.nth(i).bounding_box()):
                frame = frames.nth(i).element_handle().content_frame()
                small += [(t, px) for t, px in frame.evaluate(FRAME_TEXT) if px < 18]
        assert not small, (name, small[:20])
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"presenter_page_{name}_{size[0]}x{size[1]}.png"))
    finally:
        context.close()
