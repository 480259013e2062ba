"""The Initializations page in headless Chromium against a real `streamlit run`."""

import re

from playwright.sync_api import expect

from .conftest import act, screenshot, wait_for_app_idle


def open_page(page, url):
    page.goto(url + "/initializations")
    page.wait_for_selector('[data-testid="stTable"]', timeout=60_000)
    wait_for_app_idle(page)


def press(page, label):
    act(page, page.get_by_role("button", name=label, exact=True).click)


def panel_titles(page):
    return page.locator(".js-plotly-plot .gtitle").all_text_contents()


def test_runs_step_in_lockstep(app_server, page):
    open_page(page, app_server)
    expect(page.get_by_role("heading", name="Initializations")).to_be_visible()
    nav = page.locator('[data-testid="stSidebarNavLink"]').all_text_contents()
    assert any(t.endswith("Step by step") for t in nav), nav  # st.navigation's titles
    assert any(t.endswith("Initializations") for t in nav), nav
    titles = [t for t in panel_titles(page) if " · iteration " in t]
    assert len(titles) == 3 and all(" · iteration 0 · " in t for t in titles), titles
    press(page, "Full iteration")
    titles = [t for t in panel_titles(page) if " · iteration " in t]
    assert all(" · iteration 1 · " in t for t in titles), titles
    press(page, "Run to convergence")
    titles = [t for t in panel_titles(page) if " · iteration " in t]
    assert all("converged" in t for t in titles), titles
    expect(page.get_by_text(re.compile("converged at iteration \\d+")).first).to_be_visible()
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    assert "k-means++" in table and "random responsibilities" in table
    screenshot(page, "init_side_by_side")


def test_restarts_study(app_server, page):
    open_page(page, app_server)
    slider = page.get_by_role("slider", name="Seeds per method")
    slider.scroll_into_view_if_needed()
    slider.focus()
    act(page, lambda: slider.press("Home"))  # 20 seeds
    press(page, "Run restarts study")
    expect(page.get_by_text(re.compile("80 fits in [0-9.]+ s"))).to_be_visible(timeout=60_000)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(
        has_text="Final log-likelihood of every restart")
    expect(chart).to_be_visible()
    expect(page.get_by_text("Why n_init?")).to_be_visible()
    dot = chart.locator(".scatterlayer .trace").nth(1).locator("path.point").first
    dot.scroll_into_view_if_needed()
    act(page, lambda: dot.click(force=True))
    expect(page.locator(".gtitle").filter(has_text="Clicked:")).to_be_visible(timeout=15_000)
    screenshot(page, "init_restarts")
