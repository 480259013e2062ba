"""The Initializations page in headless Chromium against a real `streamlit run`."""

import re

from playwright.sync_api import expect
from sklearn.mixture import GaussianMixture as SklearnGM

from ui import data as data_mod

from .conftest import act, open_select, screenshot, wait_for_app_idle

TITLE = re.compile(
    r"iteration (\d+)\s*(stopped by the rule|running|failed) · LL")
STATUS = re.compile(r"^Run \d: .*(stopped: \|Δ mean log-likelihood\| < tol|iteration \d+)")
STOPPED = "stopped by the rule"  # the panel titles; the statuses name the rule in full

# Records every progress-bar text the page shows (a study of 80 fits is over in well under a
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
    page.goto(url + "/initializations")
    page.wait_for_selector('[data-testid="stTable"]', timeout=180_000)
    wait_for_app_idle(page)


def apply_preset(page, name):
    """Choose a preset in its select box and press Apply."""
    open_select(page, re.compile("^Preset"), exact=False)
    page.get_by_role("option", name=name, exact=True).click()
    wait_for_app_idle(page)
    press(page, "Apply preset")


def press(page, label):
    act(page, page.get_by_role("button", name=label, exact=True).click)


def panels(page):
    """(iteration, state) read from each run's panel title, in order."""
    titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
    return [(int(m[1]), m[2]) for m in map(TITLE.search, titles) if m]


def statuses(page):
    """Each run's status line under its panel."""
    captions = page.locator('[data-testid="stCaptionContainer"]').all_inner_texts()
    return [c for c in captions if STATUS.search(c)]


def sklearn_fit(dataset, k, init, seed):
    """scikit-learn's own GaussianMixture from the same start, with the app's defaults
    (full covariances, reg_covar 1e-6, tol 1e-3, max_iter 100): the expected outcome."""
    X = data_mod.load(dataset, n=600, seed=0).X
    gm = SklearnGM(k, init_params=init, random_state=seed, reg_covar=1e-6, tol=1e-3,
                   max_iter=100).fit(X)
    return gm.n_iter_, gm.score(X) * len(X)


def test_runs_step_in_lockstep(app_server, page):
    # The page's default runs on the article's example, K = 2; where each stops is what
    # scikit-learn's own fit from the same start says (its n_iter_ counts the iteration
    # whose E-step found the change below tol, as the page does).
    starts = [("kmeans", 0), ("k-means++", 0), ("random", 0)]
    at = [sklearn_fit(data_mod.ARTICLE_DATASET, 2, init, seed)[0] for init, seed in starts]
    assert len(set(at)) > 1, at  # the point of this test: runs that converge at different times
    open_page(page, app_server)
    press(page, "Use the article's example")
    expect(page.get_by_role("heading", name="Initializations")).to_be_visible()
    assert panels(page) == [(0, "running")] * 3
    expect(page.get_by_role("button", name="M-step")).to_be_disabled()
    press(page, "E-step")
    expect(page.get_by_role("button", name="E-step")).to_be_disabled()
    press(page, "M-step")
    assert panels(page) == [(1, "running")] * 3
    for n in range(2, max(at) + 1):
        press(page, "Full iteration")
        # a converged run holds still at its iteration while the others go on
        assert panels(page) == [(min(n, a), STOPPED if n >= a else "running")
                                for a in at], (n, at)
        if min(at) <= n < max(at):
            status = statuses(page)
            assert len(status) == 3, status
            for a, line in zip(at, status):
                assert ("holding still while the others go on" in line) == (n >= a), line
                assert (f"iteration {n}, still going" in line) == (n < a), line
    assert [int(re.search(r"\) at iteration (\d+)", s)[1]) for s in statuses(page)] == at
    expect(page.get_by_role("button", name="Full iteration")).to_be_disabled()
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    assert "k-means++" in table and "random responsibilities" in table and "BIC" in table
    screenshot(page, "init_side_by_side")

    # Play runs every run to its own convergence and stops by itself.
    press(page, "Reset")
    assert panels(page) == [(0, "running")] * 3
    press(page, "Play")
    expect(page.get_by_role("button", name="Play")).to_be_disabled(timeout=180_000)
    wait_for_app_idle(page)
    assert panels(page) == [(a, STOPPED) for a in at]

    # A user-placed start with no means placed on the Step by step page says so.
    page.get_by_role("combobox", name="Run 3 start").click()
    act(page, page.get_by_role("option", name="place means by clicking", exact=True).click)
    expect(page.get_by_text(re.compile("No means placed for K = 2 yet"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Place means on Step by step"))).to_be_visible()
    assert len(panels(page)) == 2  # the other two runs are still drawn
    screenshot(page, "init_place_means_waiting")


def test_preset_and_restarts_study(app_server, page):
    open_page(page, app_server)
    apply_preset(page, "k-means start misleads (anisotropic cigars)")
    expect(page.get_by_text(re.compile("cuts the long thin cigars"))).to_be_visible()
    assert len(panels(page)) == 4  # the preset's four runs, in a 2 × 2 grid
    press(page, "Run to convergence")
    assert all(state == STOPPED for _, state in panels(page)), panels(page)
    # The preset's runs, fitted by scikit-learn from the same starts: each run's final
    # log-likelihood in the table is scikit-learn's, and the best of them (the one that
    # matches the true cigars) is k-means++ seed 11's.
    preset = [("kmeans", 0), ("kmeans", 5), ("k-means++", 11), ("random_from_data", 4)]
    expected = [sklearn_fit("Anisotropic cigars", 3, init, seed) for init, seed in preset]
    table = page.locator('[data-testid="stTable"]').first
    header = [c.strip() for c in table.locator("thead th").all_inner_texts()]
    rows = [dict(zip(header, [c.strip() for c in row.locator("th, td").all_inner_texts()]))
            for row in table.locator("tbody tr").all()]
    assert len(rows) == 4, rows
    for row, (n_iter, ll) in zip(rows, expected):
        assert row["final log-likelihood"].replace("−", "-") == f"{ll:,.2f}", (row, ll)
        assert row["iterations to the stop"] == str(n_iter), (row, n_iter)
    assert max(range(4), key=lambda i: expected[i][1]) == 2
    screenshot(page, "init_preset_cigars")

    slider = page.get_by_role("slider", name="Seeds per method")
    slider.scroll_into_view_if_needed()
    slider.focus()
    act(page, lambda: slider.press("Home"))  # 20 seeds
    page.evaluate(WATCH_PROGRESS)
    press(page, "Run restarts study")
    expect(page.get_by_text(re.compile(r"80 fits in [0-9.]+ s"))).to_be_visible(timeout=60_000)
    seen = page.evaluate("() => window.__progress")
    assert any(re.search(r"\d+ of 80 fits", t) for t in seen), seen
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has_text="Final log-likelihood of every restart")
    expect(chart).to_be_visible()
    assert chart.locator("path.point").count() >= 80  # one dot per fit
    expect(page.get_by_text("Why n_init?")).to_be_visible()
    expect(page.locator(".gtitle").filter(has_text="Best:")).to_be_visible()
    expect(page.locator(".gtitle").filter(has_text="Worst:")).to_be_visible()
    dot = chart.locator(".scatterlayer .trace").nth(1).locator("path.point").first
    dot.scroll_into_view_if_needed()
    act(page, lambda: dot.click(force=True))
    expect(page.locator(".gtitle").filter(has_text="Clicked:")).to_be_visible(timeout=15_000)
    screenshot(page, "init_restarts")


LABEL_CUT = """() => [...document.querySelectorAll('[data-testid="stMain"] button p')]
    .filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText)"""
TITLES_CUT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll('.gtitle')].filter(t => {
        const r = t.getBoundingClientRect();
        return r.left < box.left - 1 || r.right > box.right + 1;
    }).map(t => t.textContent);
})"""


def test_narrow_screens_show_whole_labels_and_titles(app_server, browser):
    # At 900 × 800 and 1024 × 576 the lockstep buttons, the presets and the 2 × 2 grid's
    # panel titles were cut ("E.", "M", "F…"): every label and title now shows whole.
    for width, height in ((900, 800), (1024, 576)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        from .conftest import _COUNTERS, RunCounter
        _COUNTERS[id(page)] = RunCounter(page)
        open_page(page, app_server)
        apply_preset(page, "k-means start misleads (anisotropic cigars)")
        press(page, "Run to convergence")
        assert len(panels(page)) == 4
        assert page.evaluate(LABEL_CUT) == [], width
        assert page.evaluate(TITLES_CUT) == [], width
        expect(page.get_by_role("button", name="Run to convergence")).to_be_visible()
        screenshot(page, f"init_narrow_{width}")
        context.close()


Y_RANGE = """(title) => {
    const plot = [...document.querySelectorAll('.js-plotly-plot')]
        .find(p => p.textContent.includes(title));
    return plot._fullLayout.yaxis.range;
}"""


def test_curves_at_iteration_zero_are_not_in_billions(app_server, page):
    # A k-means++ start begins near −1e9 (weights 1/n, covariances of reg_covar): the
    # curves chart must still show the climb, not an axis in billions.
    open_page(page, app_server)
    press(page, "E-step")
    low, high = page.evaluate(Y_RANGE, "Log-likelihood of every run")
    assert low > -1e6 and high - low < 1e5, (low, high)
