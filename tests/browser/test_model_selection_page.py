"""The Model selection page in headless Chromium against a real `streamlit run app.py`."""

import pytest
from playwright.sync_api import expect
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from threadpoolctl import threadpool_limits

from gmm_core import COVARIANCE_TYPES, datasets

from .conftest import act, click_point, screenshot, wait_for_app_idle

MCLUST = {"spherical": "VII", "diag": "VVI", "tied": "EEE", "full": "VVV"}
CHARTS = '[data-testid="stPlotlyChart"]'

# Records every progress-bar text the page shows (a grid on 600 points is over in about a
# second, so polling for the bar could miss it).
WATCH_PROGRESS = """() => {
    window.__progress = [];
    new MutationObserver(() => {
        for (const bar of document.querySelectorAll('[data-testid="stProgress"]')) {
            window.__progress.push(bar.innerText);
        }
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def open_page(page, url):
    page.goto(url + "/model-selection")
    page.get_by_role("heading", name="Choosing K and the covariance type").wait_for(
        timeout=120_000)
    wait_for_app_idle(page, timeout=120_000)
    # The article's data, as these tests were written for (the first screen has other data).
    act(page, page.get_by_role("button", name="Use the article's example").click,
        timeout=120_000)
    # Move off the button, as a hand would: its help tooltip stays open under a resting
    # mouse and covers the top of the page.
    size = page.viewport_size
    page.mouse.move(size["width"] - 5, size["height"] - 5)


def sk_best_bic():
    X = datasets.make_article_example(600, 0).X  # the data open_page chooses
    with threadpool_limits(1):
        scores = {(k, c): SkGaussianMixture(k, covariance_type=c, random_state=0).fit(X).bic(X)
                  for k in range(1, 11) for c in COVARIANCE_TYPES}
    return min(scores, key=scores.get)


def chart_title(page, nth):
    charts = page.locator(CHARTS)
    chart = charts.last if nth == -1 else charts.nth(nth)
    return chart.locator(".gtitle").first.text_content()


def drawn_title(page):
    return chart_title(page, 2)  # line chart, heat-map, then the drawn model


def test_best_model_and_click_to_draw(server, page):
    open_page(page, server)
    k, cov = sk_best_bic()
    expect(page.get_by_text(f"Best by BIC: K = {k}, {cov} ({MCLUST[cov]})")).to_be_visible()
    assert drawn_title(page).startswith(f"K = {k}, {cov} ({MCLUST[cov]}): BIC =")
    assert "BIC for K = 1…10" in chart_title(page, 0)
    screenshot(page, "model_selection_1400")

    # A point on the line chart: trace 1 is "tied", its last point K = 10 (where the lines
    # are far apart: at small K the types' points can overlap under the pointer).
    line = page.locator(CHARTS).nth(0)
    click_point(page, line.locator(".scatterlayer .trace").nth(1).locator("path.point").nth(9))
    expect(page.locator(CHARTS).nth(2).locator(".gtitle")).to_contain_text(
        "K = 10, tied (EEE): BIC =")
    # A square of the heat-map: one trace of 40 squares in grid order (K, then type).
    squares = page.locator(CHARTS).nth(1).locator(".scatterlayer .trace").first
    click_point(page, squares.locator("path.point").nth(4 * 3 + 2))  # K = 4, diag
    expect(page.locator(CHARTS).nth(2).locator(".gtitle")).to_contain_text(
        "K = 4, diag (VVI): BIC =")


def test_criterion_toggle_and_progress_bar(server, page):
    open_page(page, server)
    group = page.locator('[data-testid="stButtonGroup"]').first
    act(page, group.get_by_text("ICL", exact=True).click)
    expect(page.get_by_text("Best by ICL:")).to_be_visible()
    assert chart_title(page, 0).startswith("ICL for K = 1…10")
    page.evaluate(WATCH_PROGRESS)
    box = page.get_by_role("spinbutton", name="Starts per model (n_init)")
    box.fill("2")
    act(page, lambda: box.press("Enter"), timeout=120_000)
    seen = page.evaluate("window.__progress")
    assert any("Fitting 40 models" in t and "fits done" in t for t in seen), seen[:5]
    expect(page.get_by_text("Each of the 40 models: 2 start(s)")).to_be_visible()


@pytest.mark.parametrize("size", [(900, 800), (1024, 576)])
def test_narrow_windows(server, page, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page, server)
    expect(page.get_by_text("Best by BIC:")).to_be_visible()
    for nth in range(3):
        box = page.locator(CHARTS).nth(nth).bounding_box()
        assert box["width"] > 250 and box["height"] > 250, (nth, box)
    screenshot(page, f"model_selection_{size[0]}x{size[1]}")


def metric(page, label):
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label))
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def open_tab(page, name):
    """Open one of the page's section tabs (only the open one is drawn)."""
    act(page, page.get_by_role("tab", name=name, exact=True).click, timeout=120_000)


def test_lower_sections_lab_and_cost(server, page):
    open_page(page, server)
    for tab, heading in (("Held-out curve", "Overfitting: held-out log-likelihood against K"),
                         ("Covariance types", "Covariance types side by side"),
                         ("Dirichlet process", "Let the data decide: a Dirichlet-process "
                                               "mixture"),
                         ("Computational cost", "Computational cost"),
                         ("Degeneracy lab", "Degeneracy lab: a component collapses")):
        open_tab(page, tab)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # The lab at reg_covar = 0: ten steps climb, the next ten end in a refusal in words.
    start = float(metric(page, "Log-likelihood").replace(",", ""))
    act(page, page.get_by_role("button", name="10 steps").click)
    assert metric(page, "Iteration") == "10"
    assert float(metric(page, "Log-likelihood").replace(",", "")) > start
    act(page, page.get_by_role("button", name="10 steps").click)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="EM refused iteration")
    expect(alert).to_contain_text("reg_covar")
    screenshot(page, "model_selection_lab_refused")
    # Cost: measured on demand, within the time budget.
    open_tab(page, "Computational cost")
    act(page, page.get_by_role("button", name="Measure N = 10³ … 10⁶").click, timeout=120_000)
    table = page.locator('[data-testid="stTable"]').last.inner_text()
    assert "1,000" in table and "EMEngine s / iteration" in table
    assert "Seconds per EM iteration, K = 3, d = 2, full" in chart_title(page, -1)
