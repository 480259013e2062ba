"""The Step by step page in headless Chromium against a real `streamlit run`."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import (
    LIVE_CHART,
    act,
    click_point,
    open_select,
    runs,
    screenshot,
    wait_for_app_idle,
    wait_for_chart,
    wait_for_charts,
)


def metric_value(page, label):
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(f"^{label}$")))
    return box.locator('[data-testid="stMetricValue"]')


def metric(page, label):
    return metric_value(page, label).inner_text().strip()


def press(page, label):
    act(page, page.get_by_role("button", name=label, exact=True).click)


def choose(page, label, option):
    open_select(page, label)
    act(page, page.get_by_role("option", name=option, exact=True).click)


def chart(page, nth=0):
    """The nth live chart (ui/live_chart.py): a Plotly chart in the component's iframe."""
    return page.frame_locator(LIVE_CHART).nth(nth)


def drawn(page, nth=0):
    """The revision the nth live chart last drew (None before its first figure)."""
    return page.locator(LIVE_CHART).nth(nth).evaluate(
        "f => f.contentDocument.body.dataset.drawn || null")


def open_app(page, url):
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=180_000)
    wait_for_app_idle(page)
    wait_for_charts(page)


def test_stepping_through_a_run(app_server, page):
    open_app(page, app_server)
    assert metric(page, "Iteration") == "0"
    assert metric(page, "Phase") == "start"
    screenshot(page, "step_start")

    press(page, "E-step")
    assert metric(page, "Phase") == "E-step"
    assert metric(page, "Iteration") == "1"
    expect(page.get_by_role("button", name="M-step", exact=True)).to_be_enabled()
    press(page, "M-step")
    assert metric(page, "Phase") == "M-step"
    assert metric(page, "Iteration") == "1"
    screenshot(page, "step_after_m")
    lls = [float(metric(page, "Log-likelihood").replace(",", ""))]
    for n in (2, 3, 4):
        press(page, "Full iteration")
        assert metric(page, "Iteration") == str(n)
        lls.append(float(metric(page, "Log-likelihood").replace(",", "")))
    assert all(b >= a - 1e-6 for a, b in zip(lls, lls[1:])), lls

    press(page, "Run to convergence")
    rule = re.compile("Iteration \\d+ · E-step: stopped by the rule")
    expect(page.get_by_text(rule)).to_be_visible()
    assert int(metric(page, "Iteration")) >= 1
    screenshot(page, "step_converged")

    press(page, "Reset")
    assert metric(page, "Iteration") == "0"
    assert metric(page, "Phase") == "start"


#: Records every (Iteration, Phase) the metrics show, and counts the changes.
WATCH_METRICS = """() => {
    const read = () => [...document.querySelectorAll('[data-testid="stMetric"]')]
        .filter(b => /^(Iteration|Phase)/.test(b.innerText))
        .map(b => b.querySelector('[data-testid="stMetricValue"]').innerText.trim()).join(' / ');
    window.__shown = new Set([read()]);
    new MutationObserver(() => window.__shown.add(read()))
        .observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_play_advances_by_itself_and_pauses(app_server, page):
    open_app(page, app_server)
    choose(page, "Dataset", "Anisotropic cigars")  # 25 iterations from the default start
    page.evaluate(WATCH_METRICS)
    page.get_by_role("button", name="Play", exact=True).click()
    # the full rerun that starts the timer has happened once the button says Pause
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_visible(timeout=60_000)
    page.wait_for_function("() => window.__shown.size >= 4", timeout=60_000)
    screenshot(page, "step_playing")
    page.get_by_role("button", name="Pause", exact=True).click()
    # the full rerun that stops the timer has happened once the button says Play again
    expect(page.get_by_role("button", name="Play", exact=True)).to_be_visible(timeout=180_000)
    wait_for_app_idle(page)
    frozen = (metric(page, "Iteration"), metric(page, "Phase"))
    before = runs(page)
    # No timer any more: over four ticks of the normal speed, no script run comes.
    with pytest.raises(TimeoutError):
        wait_for_app_idle(page, since=before, timeout=2000)
    assert runs(page) == before
    assert (metric(page, "Iteration"), metric(page, "Phase")) == frozen


def test_clicking_a_point_shows_its_responsibilities(app_server, page):
    open_app(page, app_server)
    choose(page, "Dataset", "Overlapping blobs")
    press(page, "Full iteration")
    main = chart(page, 0)
    page.locator(LIVE_CHART).first.scroll_into_view_if_needed()
    point = main.locator(".scatterlayer .trace").first.locator("path.point").nth(25)
    click_point(page, point)
    expect(page.get_by_text(re.compile("Responsibilities of point \\d+"))).to_be_visible(
        timeout=15_000)
    expect(page.locator(".katex").filter(has_text="γ").first).to_be_visible()
    screenshot(page, "step_point_clicked")


def test_bad_csv_shows_an_error_and_the_app_keeps_stepping(app_server, page, tmp_path):
    open_app(page, app_server)
    press(page, "Full iteration")
    choose(page, "Dataset", "Upload CSV")
    bad = tmp_path / "words.csv"
    bad.write_text("name,colour\nann,red\nbob,blue\n")
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    act(page, lambda: upload.set_input_files(str(bad)))
    expect(page.get_by_text("The file has no numeric column")).to_be_visible(timeout=15_000)
    screenshot(page, "step_bad_csv")
    before = int(metric(page, "Iteration"))
    press(page, "Full iteration")
    assert int(metric(page, "Iteration")) == before + 1

    good = tmp_path / "good.csv"
    good.write_text("a,b,label\n" + "\n".join(f"{i % 7},{(i * 3) % 11},x" for i in range(60)))
    act(page, lambda: upload.set_input_files(str(good)))
    expect(page.get_by_text(re.compile("In use: good.csv, 60 points"))).to_be_visible(
        timeout=15_000)
    # the sidebar is drawn before the main area: wait for the new run's metric
    expect(metric_value(page, "Iteration")).to_have_text("0", timeout=15_000)
    wait_for_app_idle(page)
    press(page, "Full iteration")
    assert metric(page, "Iteration") == "1"


def test_one_dimensional_data_and_history(app_server, page):
    open_app(page, app_server)
    choose(page, "Dataset", "1-D bimodal")
    for _ in range(3):
        press(page, "Full iteration")
    ll_chart = chart(page, 1)
    page.locator(LIVE_CHART).nth(1).scroll_into_view_if_needed()
    trace = ll_chart.locator("#chart").evaluate(
        "el => el.data.findIndex(t => t.name === 'M-step')")
    ll_point = ll_chart.locator(".scatterlayer .trace").nth(trace).locator("path.point").first
    click_point(page, ll_point)
    assert metric(page, "Phase") == "M-step"  # the first M point: half-step 2
    assert metric(page, "Iteration") == "1"
    expect(page.get_by_role("button", name="Continue from here")).to_be_visible()
    screenshot(page, "step_1d_history")


def test_place_means_by_clicking(app_server, page):
    open_app(page, app_server)
    choose(page, "Dataset", "Well-separated blobs")
    choose(page, "Initialisation", "place means by clicking")
    # K = 3 on the first screen: three means to place.
    expect(page.get_by_text(re.compile("Click 3 more data point"))).to_be_visible()
    placing = chart(page, 0)
    for nth, left in ((5, "2 more"), (250, "1 more"), (450, None)):
        point = placing.locator(".scatterlayer .trace").first.locator("path.point").nth(nth)
        wait_for_charts(page)
        click_point(page, point)
        if left:
            expect(page.get_by_text(re.compile(f"Click {left} data point"))).to_be_visible()
    expect(page.get_by_role("button", name="E-step", exact=True)).to_be_visible(timeout=15_000)
    assert metric(page, "Iteration") == "0"
    press(page, "Full iteration")
    assert metric(page, "Iteration") == "1"
    screenshot(page, "step_placed_means")


def test_zoom_is_kept_across_steps(app_server, page):
    """The live chart updates in place (Plotly.react), so a zoom survives a step."""
    open_app(page, app_server)
    main = chart(page, 0).locator("#chart")
    main.evaluate("el => Plotly.relayout(el, {'xaxis.range': [-24, -16], "
                  "'yaxis.range': [-24, -16]})")
    zoomed = main.evaluate("el => [el.layout.xaxis.range, el.layout.yaxis.range]")
    # (equal axis scales widen the ranges to the chart's aspect ratio, about their centre)
    for low, high in zoomed:
        assert abs((low + high) / 2 + 20) < 1e-6 and high - low < 20, zoomed
    before = drawn(page, 0)
    press(page, "Full iteration")
    press(page, "Full iteration")
    expect(metric_value(page, "Iteration")).to_have_text("2")
    wait_for_chart(page, 0, "el.ownerDocument.body.dataset.drawn === '4'")
    assert drawn(page, 0) != before
    ranges = main.evaluate("el => [el.layout.xaxis.range, el.layout.yaxis.range]")
    assert ranges == zoomed, (ranges, zoomed)
    title = main.evaluate("el => el.layout.title.text")
    assert "iteration 2" in title, title
    screenshot(page, "step_zoomed")


def test_charts_follow_every_change_and_survive_a_resize(app_server, page):
    """Found by a fresh-eyes walk: a figure that changed without a new half-step (another
    dataset, a toggle) did not reach the chart; a resize blanked it; the log-likelihood axis
    kept an old range and showed nothing."""
    open_app(page, app_server)
    main = chart(page, 0).locator("#chart")
    article = main.evaluate("el => el.layout.title.text")
    choose(page, "Dataset", "Old Faithful")  # a new run at half-step 0, like the old one
    wait_for_chart(page, 0, "el.layout.title.text !== arg", article)
    faithful_ll = float(metric(page, "Log-likelihood").replace(",", ""))
    title = main.evaluate("el => el.layout.title.text")
    assert f"{faithful_ll:,.2f}" in title, (title, faithful_ll)

    press(page, "Full iteration")
    traces = main.evaluate("el => el.data.length")
    act(page, page.get_by_text("Hard labels", exact=True).click)
    wait_for_chart(page, 0, "el.data.length > arg", traces)

    press(page, "Reset")
    press(page, "Full iteration")
    ll = float(metric(page, "Log-likelihood").replace(",", ""))
    ll_chart = chart(page, 1).locator("#chart")
    wait_for_chart(page, 1, "el._fullLayout.yaxis.range[0] <= arg"
                            " && arg <= el._fullLayout.yaxis.range[1]", ll)
    low, high = ll_chart.evaluate("el => el._fullLayout.yaxis.range")
    assert low <= ll <= high, (low, ll, high)

    page.set_viewport_size({"width": 900, "height": 1000})
    for nth, least in ((0, 500), (1, 250)):  # redrawn at the new width, not blanked
        wait_for_chart(page, nth, "el.querySelector('.main-svg')"
                                  ".getBoundingClientRect().height > arg", least)
    heights = [chart(page, i).locator(".main-svg").first.evaluate(
        "el => el.getBoundingClientRect().height") for i in (0, 1)]
    assert heights[0] > 500 and heights[1] > 250, heights
    screenshot(page, "step_narrow_after_resize")


#: Formulas that run past their box: the formula or a box around it (up to its element
#: container) is wider than it shows (it scrolls or clips), beyond a glyph's overhang.
CUT_FORMULAS = """() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')]
    .filter(el => {
        const stop = el.closest('[data-testid="stElementContainer"]');
        for (let box = el; box && box !== stop.parentElement; box = box.parentElement) {
            if (box.scrollWidth > box.clientWidth + 8) return true;
        }
        return false;
    })
    .map(el => el.innerText.replace(/\\s+/g, "").slice(0, 40))"""


def test_m_step_formulas_fit_a_900px_window(app_server, page):
    # Issue 9, item 8: at 900 px the M-step's μ formula ran off the right edge.
    page.set_viewport_size({"width": 900, "height": 800})
    open_app(page, app_server)
    press(page, "Full iteration")
    press(page, "E-step")
    expect(page.get_by_text("Preview: what the coming M-step")).to_be_visible()
    page.get_by_text("Parameters and the M-step").scroll_into_view_if_needed()
    assert page.locator('[data-testid="stMain"] .katex-display').count() >= 5
    assert page.evaluate(CUT_FORMULAS) == []
    screenshot(page, "step_formulas_900")
