"""Issue 9 where a person sees it: real data fill the chart, and a far-off start is marked on
the log-likelihood chart, in headless Chromium against a real `streamlit run`."""

from playwright.sync_api import expect

from .conftest import LIVE_CHART, act, open_select, screenshot, wait_for_chart
from .test_step_page import open_app, press


def choose(page, label, option):
    open_select(page, label)
    act(page, page.get_by_role("option", name=option, exact=True).click)


def _axes(page, nth):
    """What Plotly drew on the nth live chart: its axes' ranges and the y axis' anchor."""
    return page.locator(LIVE_CHART).nth(nth).evaluate("""f => {
        const el = f.contentDocument.querySelector('#chart');
        const L = el._fullLayout;
        return {x: L.xaxis.range, y: L.yaxis.range, anchor: L.yaxis.scaleanchor || null,
                notes: (L.annotations || []).map(a => a.text)};
    }""")


def test_old_faithful_fills_the_chart_on_its_own_axis_scales(app_server, page):
    from gmm_core.datasets import load_faithful

    X = load_faithful().X
    open_app(page, app_server)
    choose(page, "Dataset", "Old Faithful")
    wait_for_chart(page, 0, "JSON.stringify(el.layout.xaxis.title || '').includes(arg)",
                   arg="eruptions")
    axes = _axes(page, 0)
    assert axes["anchor"] is None
    for col, (lo, hi) in enumerate((axes["x"], axes["y"])):
        span = X[:, col].max() - X[:, col].min()
        assert lo <= X[:, col].min() and X[:, col].max() <= hi
        assert span / (hi - lo) > 0.7, (col, lo, hi)  # the data fill the width and height
    screenshot(page, "faithful_fills_the_chart")


def test_a_spike_start_is_marked_off_scale_on_the_log_likelihood_chart(app_server, page):
    open_app(page, app_server)
    choose(page, "Initialisation", "k-means++")
    for _ in range(3):
        press(page, "Full iteration")
    ll = _axes(page, 1)
    assert any("off scale" in n for n in ll["notes"]), ll["notes"]
    lo, hi = ll["y"]
    assert hi - lo < 1e6  # the climb, not billions
    expect(page.get_by_text("weight 1/n").first).to_be_visible()
    screenshot(page, "spike_start_off_scale")
