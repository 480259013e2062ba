"""The Lesson page in headless Chromium against a real `streamlit run app.py`: walked from
the first stop to the scores at 1400×1000 (mouse) and at 390×844 (a phone: touch), making
every prediction by the gesture a person would (drag or tap a slider, click or tap on the
chart, press a choice), then revealing. On each predict stop the chart that takes the guess
and the reveal button are on the first screen. Screenshots of every stop go to
tests/browser/screenshots/lesson_*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    _COUNTERS,
    LIVE_CHART,
    SCREENSHOTS,
    RunCounter,
    act,
    runs,
    screenshot,
    wait_for_app_idle,
)

N_STOPS = 11
SIZES = ((1400, 1000), (390, 844))


@pytest.fixture()
def sized_page(browser, request):
    width, height = request.param
    phone = width < 640
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(60_000)
    _COUNTERS[id(page)] = RunCounter(page)
    yield page, f"{width}x{height}"
    _COUNTERS.pop(id(page), None)
    context.close()


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
    act(page, page.get_by_role("button", name=name, exact=True).first.click)


STILL = """el => {
    const r = el.getBoundingClientRect(), doc = el.contentDocument;
    const chart = doc && doc.querySelector('#chart');
    const xa = chart && chart._fullLayout && chart._fullLayout.xaxis;
    const key = [r.x, r.y, r.width, r.height, xa && xa._offset, xa && xa._length].join();
    if (el.__key === key) { el.__same = (el.__same || 0) + 1; }
    else { el.__key = key; el.__same = 0; }
    return el.__same >= 5;
}"""


def click_axis(page, x: float, touch: bool = False):
    """Click the M-step chart where its x axis reads ``x``, in the middle of the plot's
    height (empty space: the click row's nearest point in x takes it), the way a person
    does: move there, then click; on a phone, tap there. The chart reads the point from
    where the pointer or finger came down, on the axes as drawn then."""
    frame = page.locator(LIVE_CHART).first
    doc = frame.element_handle().content_frame()
    doc.wait_for_function("() => { const el = document.querySelector('#chart');"
                          " return !!el && !!el._fullLayout; }")
    # The chart is taller than a 576 px screen: centre it, so the middle of the plot is on
    # screen (scroll_into_view_if_needed leaves a partly visible chart where it is).
    frame.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    # the page settled: the chart's frame and its x axis unchanged for 5 painted frames
    # (a rerun after the last click may still move or resize them)
    page.wait_for_function(STILL, arg=frame.element_handle(), polling="raf")
    px, py = doc.evaluate("""x => { const el = document.querySelector('#chart');
        const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
        return [xa._offset + xa.l2p(x), ya._offset + ya._length / 2]; }""", x)
    box = frame.bounding_box()
    if not touch:
        # Plotly fires a click only with a hover in force; which point the chart answers is
        # read from where the button went down (ui/live_chart_frontend/main.js), so any
        # hover will do.
        page.mouse.move(box["x"] + px, box["y"] + py)
        doc.wait_for_function("""() => { const el = document.querySelector('#chart');
            return !!el._hoverdata && el._hoverdata.length > 0; }""")
    before = runs(page)
    if touch:
        page.touchscreen.tap(box["x"] + px, box["y"] + py)
    else:
        page.mouse.click(box["x"] + px, box["y"] + py)
    wait_for_app_idle(page, before)


def to_top(page):
    page.evaluate("""() => { window.scrollTo(0, 0);
        for (const id of ['stMain', 'stAppViewContainer']) {
            const el = document.querySelector(`[data-testid="${id}"]`);
            if (el) el.scrollTo(0, 0);
        } }""")


def shots(page, name):
    """What the screen shows from the top of the stop, then the whole page."""
    to_top(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}_view.png"))
    screenshot(page, name)


def in_view(page, locator, size):
    box = locator.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= size[1], box




def slide_to(page, label: str, value: float, touch: bool):
    """Move the slider named ``label`` (its start) to ``value`` as a person does: drag its
    thumb with the mouse, or tap the track there on a phone. A select slider's value is
    the index of its option."""
    group = page.get_by_role("group", name=re.compile("^" + re.escape(label)))
    group.scroll_into_view_if_needed()
    track = group.locator(":scope > div").first
    lo, hi = (float(group.locator("input").first.get_attribute(a)) for a in ("min", "max"))
    box = track.bounding_box()
    x, y = box["x"] + box["width"] * (value - lo) / (hi - lo), box["y"] + box["height"] / 2
    before = runs(page)
    if touch:
        page.touchscreen.tap(x, y)
    else:
        thumb = track.locator(':scope > div[style*="absolute"]').first.bounding_box()
        page.mouse.move(thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2)
        page.mouse.down()
        page.mouse.move(x, y, steps=8)
        page.mouse.up()
    wait_for_app_idle(page, before)


def tap_or_click(page, locator, touch: bool):
    locator.scroll_into_view_if_needed()
    act(page, locator.tap if touch else locator.click)


def choose(page, option: str, touch: bool):
    """Press a choice (a radio option) by its text."""
    radios = page.locator('[data-testid="stRadio"]')
    tap_or_click(page, radios.get_by_text(option, exact=True).first, touch)


def reveal(page, name: str, touch: bool):
    tap_or_click(page, page.get_by_role("button", name=name, exact=True), touch)


def first_screen(page, size, chart, button):
    """At the top of the stop: the chart that takes the guess and the reveal button are
    both on screen, the button under the chart."""
    to_top(page)
    in_view(page, chart, size)
    in_view(page, button, size)
    assert button.bounding_box()["y"] > chart.bounding_box()["y"]


PLOT = ".js-plotly-plot"


def predict_at(page, n: int, size, tag: str):
    """Stop n's prediction and reveal, by a person's gestures."""
    touch = size[0] < 640
    if n == 4:
        first_screen(page, size, page.locator(PLOT).first,
                     page.get_by_role("button", name="Reveal γ"))
        slide_to(page, "Your guess", 0.8, touch)
        reveal(page, "Reveal γ", touch)
        expect(page.get_by_text("Your guess was off by")).to_be_visible()
    if n == 5:
        first_screen(page, size, page.locator(LIVE_CHART).first,
                     page.get_by_role("button", name="Reveal the M-step"))
        expect(page.get_by_text("Your turn: μ₁")).to_be_visible()
        click_axis(page, -1.9, touch)
        expect(page.get_by_text("Your turn: μ₂")).to_be_visible()
        # The chart redraws with the placed μ₁ (its diamond): the axis can move then, so the
        # second click is aimed only once that figure is drawn.
        page.locator(LIVE_CHART).first.element_handle().content_frame().wait_for_function(
            """() => (document.querySelector('#chart')._fullData || []).some(
                   t => t.name === "your μ's" && t.x && t.x.length >= 1)""")
        click_axis(page, 1.7, touch)
        placed = page.get_by_text("Both placed:", exact=False)
        expect(placed).to_be_visible()
        # (not between the clicks: a full-page screenshot resizes the window, and Plotly's
        # debounced resize could move the axis after the test had read it)
        shots(page, f"lesson_05_placed_{tag}")
        mu1, mu2 = map(float, re.search(r"μ₁ = (-?\d+\.\d+), μ₂ = (-?\d+\.\d+)",
                                        placed.inner_text()).groups())
        # where the clicks were, to a pixel (at 390 px a pixel is 0.04 on this axis)
        assert mu1 == pytest.approx(-1.9, abs=0.06) and mu2 == pytest.approx(1.7, abs=0.06)
        reveal(page, "Reveal the M-step", touch)
        expect(page.get_by_text("Farther guess off by")).to_be_visible()
    if n == 6:
        button = page.get_by_role("button", name="Reveal: run 5 iterations")
        first_screen(page, size, page.locator(PLOT).first, button)
        slide_to(page, "Your guess: log p", -125, touch)
        reveal(page, "Reveal: run 5 iterations", touch)
        expect(page.get_by_text("log L at iteration 5")).to_be_visible()
        reveal(page, "Run to convergence", touch)
        expect(page.get_by_text(re.compile("EM stops after 7 iterations"))).to_be_visible()
    if n in (7, 8, 9, 10):
        name = {7: "Reveal: run EM from all three", 8: "Reveal BIC and AIC",
                9: "Reveal the four fits", 10: "Reveal: shrink σ"}[n]
        first_screen(page, size, page.locator(PLOT).first,
                     page.get_by_role("button", name=name))
        if n == 8:
            slide_to(page, "How far apart", 2, touch)  # index 2 of (1, 2, 3, …): 3 apart
            expect(page.get_by_text("three equal modes 3 apart")).to_be_visible()
        choose(page, {7: "Start B", 8: "3", 9: "tied", 10: "It climbs without bound (+∞)"}[n],
               touch)
        reveal(page, name, touch)
        expect(page.get_by_text(re.compile(r"^(Right: |It is )")).first).to_be_visible()
    if n == 7:
        if touch:
            for _ in range(3):
                reveal(page, "Step", touch)
            expect(page.get_by_text("Iteration 3 of 22")).to_be_visible()
        else:  # the timer plays the three runs to the end by itself
            reveal(page, "Play the three runs", touch)
            expect(page.get_by_text("Iteration 22 of 22")).to_be_visible(timeout=120_000)
    if n == 8:
        expect(page.get_by_text("BIC and AIC disagree here")).to_be_visible()
    if n == 10:
        reveal(page, "σ ÷ 10 (one notch)", touch)
        slide_to(page, "σ of the third component", 13, touch)  # the last: 10⁻³⁰
        expect(page.get_by_test_id("stSliderThumbValue").filter(has_text="1e-30")).to_be_visible()
        slide_to(page, "reg_covar", 2, touch)  # 10⁻⁴
        expect(page.get_by_test_id("stSliderThumbValue").filter(has_text="1e-30")).to_be_visible()
    if n == 11:
        slide_to(page, "Threshold on log p", -4.5, touch)
        expect(page.get_by_text(re.compile(r"points flagged \(log p < -4.5"))).to_be_visible()
        reveal(page, "Draw 300 samples from p(x | λ)", touch)
        expect(page.get_by_text("samples (draw 1)")).to_be_visible()
        slide_to(page, "Principal components m", 3, touch)
        expect(page.get_by_text("Variance kept by 3 component(s)")).to_be_visible()


@pytest.mark.parametrize("sized_page", SIZES, indirect=True, ids=["1400x1000", "390x844"])
def test_walk_the_lesson_predicting_at_every_stop(sized_page, server):
    page, tag = sized_page
    size = tuple(map(int, tag.split("x")))
    open_lesson(page, server)
    for n in range(1, N_STOPS + 1):
        assert progress_text(page).startswith(f"Stop {n} of {N_STOPS}")
        expect(page.get_by_text("Notice:", exact=False).first).to_be_visible()
        if n != 3:
            # Plotly.js loads lazily: its first chart can take a while
            expect(page.locator(f"{PLOT}, {LIVE_CHART}").first).to_be_visible(timeout=60_000)
        if n == 3:
            for _ in range(3):
                press(page, "Step")
            expect(page.get_by_text("Frame 3 of 17")).to_be_visible()
        if n in range(4, 12):
            shots(page, f"lesson_{n:02d}_before_{tag}")
            predict_at(page, n, size, tag)
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        shots(page, f"lesson_{n:02d}_{tag}")
        press(page, "Next →" if n < N_STOPS else "Scores →")
    expect(page.get_by_role("heading", name="Lesson: your scores")).to_be_visible()
    total = metric(page, "Total")
    assert re.fullmatch(r"\d+ / 700", total), total
    expect(page.get_by_text("Not answered yet")).to_have_count(0)
    shots(page, f"lesson_12_scores_{tag}")


def test_latent_animation_plays_to_the_end(page, server):
    open_lesson(page, server, 3)
    press(page, "Play")
    # the timer plays every frame, then takes the colours away by itself
    expect(page.get_by_text("Frame 17 of 17")).to_be_visible(timeout=120_000)
    expect(page.get_by_text("This is what EM sees").first).to_be_visible()


@pytest.mark.parametrize("sized_page", [(900, 800)], indirect=True, ids=["900x800"])
def test_stops_at_900_wide(sized_page, server):
    page, tag = sized_page
    for n in (2, 3, 5, 9):
        open_lesson(page, server, n)
        # Plotly.js loads lazily (the live chart: in its iframe, 0 px tall until it draws)
        expect(page.locator(".js-plotly-plot, " + LIVE_CHART).first).to_be_visible(
            timeout=60_000)
        shots(page, f"lesson_{n:02d}_{tag}")


def test_m_step_guess_by_keyboard_only(page, server):
    """No mouse: focus moves by the keyboard's own targets (focus(), Enter, typing)."""
    open_lesson(page, server, 5)
    summary = page.locator("summary").filter(has_text="Or type your guesses (keyboard)")
    summary.focus()
    page.keyboard.press("Enter")
    for label, value in (("Your μ₁", "-1.9"), ("Your μ₂", "1.7")):
        box = page.get_by_label(label, exact=True)
        expect(box).to_be_visible()
        box.focus()
        page.keyboard.type(value)
        act(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_text("Both placed: μ₁ = -1.90, μ₂ = 1.70.", exact=False)).to_be_visible()
    button = page.get_by_role("button", name="Reveal the M-step")
    expect(button).to_be_enabled()
    button.focus()
    act(page, lambda: page.keyboard.press("Enter"))
    expect(page.get_by_text("Farther guess off by")).to_be_visible()
