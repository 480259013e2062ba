"""Grab a component (issue 22) in headless Chromium against a real `streamlit run`: drag a
mean with the mouse and with a finger, an ellipse's axis under each covariance type.

Oracles: the run recomputed here with gmm_core from the first screen's settings; the drop
point converted from the pixels the pointer was released at with the chart's own axes;
γ and log L from gmm_core; the M-step from ``gmm_core.reference.m_step``.
"""

from __future__ import annotations

import numpy as np
import pytest

from gmm_core import EMEngine, MixtureParameters, reference
from ui import data as data_mod

from .conftest import (
    _COUNTERS,
    LIVE_CHART,
    SCREENSHOTS,
    RunCounter,
    act,
    next_frames,
    runs,
    wait_for_app_idle,
)

X = data_mod.load(data_mod.DEFAULT_DATASET, n=600, seed=1).X  # the first screen's data


def _first_screen_run(cov="full"):
    """The first screen's run, one full iteration in (what the page shows before the drag)."""
    engine = EMEngine(X, 3, covariance_type=cov, init="kmeans", random_state=0,
                      reg_covar=1e-6, tol=1e-3)
    engine.step()
    return engine


def _open(page, url):
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=180_000)
    wait_for_app_idle(page)
    page.wait_for_function(f"""() => [...document.querySelectorAll('{LIVE_CHART}')].every(
        f => f.contentDocument && f.contentDocument.body && f.contentDocument.body.dataset.drawn
             !== undefined)""")


def _press(page, label):
    act(page, page.get_by_role("button", name=label, exact=True).click)


def _frame(page):
    return page.locator(LIVE_CHART).first.element_handle().content_frame()


def _grab_ready(page, revision: int):
    """Wait until the chart shows ``revision`` with its handles and its γ computed."""
    _frame(page).wait_for_function(
        """r => window.emDrag && window.emDrag.source === 'server'
                && window.emDrag.revision === r && document.body.dataset.drawn === r
                && document.querySelectorAll('.drag-handle').length > 0
                && window.emDrag.gamma !== null""", arg=str(revision))


def _shown(page):
    """What the chart's E-step computed for the parameters it was sent (γ, log L, params)."""
    out = _frame(page).evaluate("""() => ({gamma: Array.from(window.emDrag.gamma),
        logL: window.emDrag.logL, params: window.emDrag.params})""")
    p = out["params"]
    k = len(p["weights"])
    gamma = np.array(out["gamma"]).reshape(len(X), k)
    covs = np.array(p["covs"], dtype=float).reshape(k, 2, 2)
    return gamma, out["logL"], np.array(p["weights"]), np.array(p["means"]), covs


def _handle_center(page, component: int, handle: str):
    loc = page.frame_locator(LIVE_CHART).first.locator(
        f'.drag-handle[data-component="{component}"][data-handle="{handle}"]')
    loc.scroll_into_view_if_needed()
    next_frames(page)
    box = loc.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _to_data(page, x: float, y: float):
    """Page pixels → data coordinates with the chart's axes (range, offset, length)."""
    frame_box = page.locator(LIVE_CHART).first.bounding_box()
    axes = _frame(page).evaluate("""() => {
        const gd = document.getElementById('chart'), r = gd.getBoundingClientRect();
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        return {left: r.left, top: r.top, x: [xa._offset, xa._length, ...xa.range],
                y: [ya._offset, ya._length, ...ya.range]};
    }""")
    xo, xl, x0, x1 = axes["x"]
    yo, yl, y0, y1 = axes["y"]
    px = x - frame_box["x"] - axes["left"] - xo
    py = y - frame_box["y"] - axes["top"] - yo
    return np.array([x0 + px / xl * (x1 - x0), y1 - py / yl * (y1 - y0)])


def _drag_with_mouse(page, start, end, steps=12, shot=None):
    """Press at ``start``, move to ``end`` in ``steps``, release; returns the drop point in
    data coordinates (read while the axes are frozen, before the release)."""
    page.mouse.move(*start)
    page.mouse.down()
    for i in range(1, steps + 1):
        t = i / steps
        page.mouse.move(start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]))
    frame = _frame(page)
    frame.wait_for_function("n => window.emDrag.updates >= n", arg=1)
    next_frames(page)
    drop = _to_data(page, *end)
    if shot:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"))
    before = runs(page)
    page.mouse.up()
    wait_for_app_idle(page, since=before)
    return drop


def _params(weights, means, covs, cov_type="full"):
    return MixtureParameters.from_covariances(weights, means, covs, cov_type)


def test_drag_a_mean_with_the_mouse(server, page):
    _open(page, server)
    _press(page, "Full iteration")
    act(page, page.get_by_text("Grab a component", exact=True).click)
    _grab_ready(page, 2)
    engine = _first_screen_run()
    m_record = engine.current

    # Before the drag: the chart's own E-step equals gmm_core's for the record shown.
    gamma, log_l, weights, means, covs = _shown(page)
    np.testing.assert_allclose(means, m_record.means, rtol=1e-12)
    np.testing.assert_allclose(gamma, m_record.params.responsibilities(X), rtol=0, atol=1e-9)
    assert log_l == pytest.approx(m_record.log_likelihood, rel=1e-9)

    start = _handle_center(page, 1, "mean")
    drop = _drag_with_mouse(page, start, (start[0] - 90, start[1] - 60),
                            shot="grab_during_drag_1400")
    _grab_ready(page, 3)

    # The new record holds the drop point as μ₂ (the rest unchanged) ...
    gamma, log_l, weights, means, covs = _shown(page)
    span = np.ptp(X, axis=0)
    np.testing.assert_allclose(means[1], drop, rtol=0, atol=1e-6 * span.max())
    np.testing.assert_allclose(np.delete(means, 1, axis=0), np.delete(m_record.means, 1, axis=0),
                               rtol=1e-12)
    np.testing.assert_allclose(covs, m_record.covariances, rtol=1e-12)
    moved = _params(m_record.weights, means, m_record.covariances)
    # ... and the γ shown are gmm_core's responsibilities for it, log L too.
    np.testing.assert_allclose(gamma, moved.responsibilities(X), rtol=0, atol=1e-9)
    assert log_l == pytest.approx(moved.log_likelihood(X), rel=1e-9)
    phase = page.locator('[data-testid="stMetric"]').filter(has_text="Phase")
    assert "moved by hand" in phase.inner_text()

    # The line under the chart: what the move did to log L, what EM from there did.
    copy = EMEngine.from_parameters(X, moved, reg_covar=1e-6, tol=1e-3)
    copy.run(100)
    change = moved.log_likelihood(X) - m_record.log_likelihood
    line = page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text="Moved μ₂").first.inner_text()
    assert f"{'lowered' if change < 0 else 'raised'} log L by {abs(change):,.1f}" in line
    assert f"stops it after {copy.n_iter} iteration(s)" in line
    assert f"{copy.log_likelihood:,.1f}" in line
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "grab_after_drag_1400.png"), full_page=True)

    # E-step, M-step from the moved record: the textbook M-step on its responsibilities.
    _press(page, "E-step")
    _press(page, "M-step")
    _grab_ready(page, 5)
    _, _, weights, means, covs = _shown(page)
    w, mu, cov = reference.m_step(X, moved.responsibilities(X), "full", reg_covar=1e-6)
    np.testing.assert_allclose(weights, w, rtol=1e-9)
    np.testing.assert_allclose(means, mu, rtol=1e-9)
    np.testing.assert_allclose(covs, cov, rtol=1e-9)


def test_drag_a_mean_with_a_finger_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        _COUNTERS[id(page)] = RunCounter(page)  # what act() and wait_for_app_idle() read
        _open(page, server)
        _press(page, "Full iteration")
        act(page, page.get_by_text("Grab a component", exact=True).click)
        _grab_ready(page, 2)
        m_record = _first_screen_run().current
        start = _handle_center(page, 0, "mean")
        end = (start[0] + 40, start[1] + 30)
        scroll = "() => [window.scrollY, document.querySelector('[data-testid=\"stMain\"]')" \
                 "?.scrollTop ?? 0]"
        scrolled = page.evaluate(scroll)
        cdp = context.new_cdp_session(page)
        cdp.send("Input.dispatchTouchEvent",
                 {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
        for i in range(1, 9):
            t = i / 8
            at = {"x": start[0] + t * (end[0] - start[0]),
                  "y": start[1] + t * (end[1] - start[1])}
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [at]})
        _frame(page).wait_for_function("() => window.emDrag.updates >= 1")
        next_frames(page)
        drop = _to_data(page, *end)
        assert page.evaluate(scroll) == scrolled  # the page did not scroll under the finger
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "grab_during_drag_390.png"))
        before = runs(page)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        wait_for_app_idle(page, since=before)
        _grab_ready(page, 3)
        gamma, _, _, means, _ = _shown(page)
        np.testing.assert_allclose(means[0], drop, rtol=0, atol=1e-6 * np.ptp(X, axis=0).max())
        moved = _params(m_record.weights, means, m_record.covariances)
        np.testing.assert_allclose(gamma, moved.responsibilities(X), rtol=0, atol=1e-9)
        page.screenshot(path=str(SCREENSHOTS / "grab_after_drag_390.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("cov", ["tied", "diag", "spherical"])
def test_dragging_an_axis_keeps_the_covariance_type(server, page, cov):
    _open(page, f"{server}/?cov={cov}")
    _press(page, "Full iteration")
    act(page, page.get_by_text("Grab a component", exact=True).click)
    _grab_ready(page, 2)
    before = _first_screen_run(cov).current
    old = before.params.full_covariances()
    start = _handle_center(page, 0, "axis1")
    drop = _drag_with_mouse(page, start, (start[0] + 35, start[1] + 25))
    _grab_ready(page, 3)
    _, _, weights, means, covs = _shown(page)
    np.testing.assert_allclose(means, before.means, rtol=1e-12)  # an axis moves no mean
    a = drop - before.means[0]
    if cov == "tied":  # one Σ for all; the dragged axis is an eigenvector of length |a|
        for c in covs[1:]:
            np.testing.assert_allclose(c, covs[0], rtol=1e-12)
        u = a / np.linalg.norm(a)
        np.testing.assert_allclose(covs[0] @ u, (a @ a) * u, rtol=1e-6)
        np.testing.assert_allclose(np.trace(covs[0]) - a @ a,
                                   np.linalg.eigvalsh(old[0])[0], rtol=1e-6)
        note = "all components share one Σ"
    elif cov == "diag":  # axes stay along x and y: only Σ_xx of component 1 changes
        assert covs[0][0, 1] == 0 and covs[0][1, 0] == 0
        assert covs[0][0, 0] == pytest.approx(a[0] ** 2, rel=1e-6)
        assert covs[0][1, 1] == pytest.approx(old[0][1, 1], rel=1e-12)
        np.testing.assert_allclose(covs[1:], old[1:], rtol=1e-12)
        note = "the axes stay along x and y"
    else:  # a circle of radius |a|
        np.testing.assert_allclose(covs[0], (a @ a) * np.eye(2), rtol=1e-6, atol=1e-12)
        np.testing.assert_allclose(covs[1:], old[1:], rtol=1e-12)
        note = "each component stays a circle"
    assert page.get_by_text(note, exact=False).first.is_visible()
