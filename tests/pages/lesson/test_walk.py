"""The Lesson page through AppTest: every stop, a prediction at each predict stop, the
numbers on screen against SciPy/NumPy/scikit-learn, the buttons that open other pages.

A click on the M-step chart is the live chart's widget value; AppTest cannot click an iframe,
so ``click_axis`` puts the value a click sends into the session (the browser test clicks for
real)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.mixture import GaussianMixture
from streamlit.testing.v1 import AppTest

import app_pages
from app_pages.lesson import keys
from app_pages.lesson.figures import CLICK_GRID
from lab_maths.lesson import START, lesson_data
from tests.pages.apptest import APP, button, metrics, open_app, switch_to

N_STOPS = 11


def lesson(**state) -> AppTest:
    return open_app(app_pages.LESSON, **state)


def at_stop(stop: int) -> AppTest:
    return lesson(**{keys.STOP: stop})


def progress(at) -> str:
    [bar] = [e for e in at.get("progress")]
    return bar.proto.text


def latex_numbers(at, i=-1) -> list[float]:
    """The numbers after the last "=" of the i-th formula."""
    text = at.latex[i].value
    return [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e-?\d+)?", text.split("=")[-1])]


def last_number(at, i=-1) -> float:
    return latex_numbers(at, i)[-1]


def slider(at, label):
    [s] = [s for s in at.slider if s.label.startswith(label)]
    return s


def click(at, label):
    button(at, label).click().run()
    assert not at.exception, at.exception


_clicks = iter(range(1, 10**6))


def click_axis(at, x_value: float) -> float:
    """What a click on the M-step chart at ``x_value`` sends (the live chart's event: the
    nearest click-row point's index and a click counter), then the rerun; the x placed."""
    index = int(np.argmin(np.abs(CLICK_GRID - x_value)))
    at.session_state[keys.MS_CHART] = {
        "selection": {"points": [{"curve_number": 4, "point_index": index,
                                  "customdata": index}]}, "click": next(_clicks)}
    at.run()
    assert not at.exception, at.exception
    return float(CLICK_GRID[index])


def start_gamma(x):
    joint = np.column_stack([p * norm.pdf(x, m, np.sqrt(v)) for p, m, v in
                             zip(START.weights, START.means, START.variances)])
    return joint / joint.sum(axis=1, keepdims=True)


def test_walk_every_stop_predicting_at_each_predict_stop():
    at = lesson()
    x = lesson_data()
    for stop in range(1, N_STOPS + 1):
        assert progress(at).startswith(f"Stop {stop} of {N_STOPS}"), progress(at)
        assert at.info[0].value.startswith("**Notice:**")
        if stop == 4:
            slider(at, "Your guess: $\\gamma_{1i}$").set_value(0.9).run()
            click(at, "Reveal γ")
            i = np.argsort(x)[24 - 1]
            truth = start_gamma(x)[i, 0]
            m = metrics(at)
            assert float(m["True γ₁ᵢ"]) == pytest.approx(truth, abs=5e-4)
            assert float(m["Your guess was off by"]) == pytest.approx(abs(0.9 - truth), abs=5e-4)
        if stop == 3:
            for _ in range(3):
                click(at, "Step")
        if stop == 5:
            click_axis(at, -2.0)
            click_axis(at, 2.0)
            click(at, "Reveal the M-step")
        click(at, "Next →" if stop < N_STOPS else "Scores →")
    assert at.title[0].value == "Lesson: your scores"
    rows = at.table[0].value
    assert list(rows["prediction"]) == ["E-step: γ", "M-step: μ"]
    g = start_gamma(x)
    miss_e = abs(0.9 - g[np.argsort(x)[23], 0])
    miss_m = np.mean([abs(-2.0 - np.average(x, weights=g[:, 0])),
                      abs(2.0 - np.average(x, weights=g[:, 1]))])  # -2 and 2 are on the row
    expected = [round(100 * max(0, 1 - miss_e / 0.5)), round(100 * max(0, 1 - miss_m / 2))]
    assert list(rows["points"]) == [f"{p} / 100" for p in expected]
    assert metrics(at)["Total"] == f"{sum(expected)} / 200"


def test_back_and_progress_kept_across_a_page_switch():
    at = at_stop(5)
    click(at, "← Back")
    assert progress(at).startswith("Stop 4 of")
    switch_to(at, app_pages.STEP_BY_STEP).run()
    assert not at.exception
    switch_to(at, app_pages.LESSON).run()
    assert progress(at).startswith("Stop 4 of")


@pytest.mark.parametrize("value, stop", [("abc", 1), ("0", 1), ("7", 7), ("99", 12)])
def test_stop_from_the_url_bad_values_do_not_break(value, stop):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["stop"] = value
    at.run()
    switch_to(at, app_pages.LESSON).run()
    assert not at.exception
    assert at.session_state[keys.STOP] == stop


@pytest.mark.parametrize("mu, sigma, x0", [(0.0, 1.0, 1.0), (-1.5, 0.4, -1.2), (2.0, 2.5, -4.0)])
def test_gaussian_stop_formula_is_scipys(mu, sigma, x0):
    at = at_stop(1)
    slider(at, "Mean μ").set_value(mu)
    slider(at, "Standard deviation σ").set_value(sigma)
    slider(at, "A point x₀").set_value(x0).run()
    assert last_number(at, 0) == pytest.approx(norm.pdf(x0, mu, sigma), rel=1e-3)
    m = metrics(at)
    assert m["Mass within μ ± 1σ"] == f"{100 * (norm.cdf(1) - norm.cdf(-1)):.2f} %"
    assert m["Mass within μ ± 2σ"] == f"{100 * (norm.cdf(2) - norm.cdf(-2)):.2f} %"


def pis(at, k):
    return [slider(at, f"π{'₁₂₃'[j]}").value for j in range(k)]


def test_mixture_stop_keeps_pi_summing_to_one_and_p_is_scipys():
    at = at_stop(2)
    assert pis(at, 2) == [0.5, 0.5]
    slider(at, "π₁").set_value(0.7).run()
    assert pis(at, 2) == pytest.approx([0.7, 0.3])
    at.radio[0].set_value(3).run()
    assert sum(pis(at, 3)) == pytest.approx(1.0)
    slider(at, "π₂").set_value(0.5).run()
    p = pis(at, 3)
    assert p[1] == 0.5 and sum(p) == pytest.approx(1.0)
    slider(at, "The point x").set_value(-1.0).run()
    mus = [slider(at, f"μ{'₁₂₃'[j]}").value for j in range(3)]
    sds = [slider(at, f"σ{'₁₂₃'[j]}").value for j in range(3)]
    expected = sum(w * norm.pdf(-1.0, m, s) for w, m, s in zip(p, mus, sds))
    assert last_number(at, 0) == pytest.approx(expected, rel=1e-3)


def guesses(at):
    return [at.session_state[keys.MS_GUESS.format(z)] if keys.MS_GUESS.format(z) in
            at.session_state else None for z in range(2)]


def test_m_step_clicks_place_one_mean_each_in_turn_and_redo_clears_them():
    at = at_stop(5)
    assert "Your turn: μ₁" in " ".join(m.value for m in at.markdown)
    assert button(at, "Reveal the M-step").disabled
    first = click_axis(at, -1.23)
    assert guesses(at) == [pytest.approx(first), None]
    assert first == pytest.approx(-1.225)  # the nearest point of the row (every 0.025)
    assert "Your turn: μ₂" in " ".join(m.value for m in at.markdown)
    at.run()  # a rerun (another widget) does not place the same click again
    assert guesses(at) == [pytest.approx(first), None]
    second = click_axis(at, 2.6)
    assert guesses(at) == pytest.approx([first, second])
    assert not button(at, "Reveal the M-step").disabled
    click_axis(at, 0.0)  # both placed: a third click changes nothing
    assert guesses(at) == pytest.approx([first, second])
    click(at, "Redo my guesses")
    assert guesses(at) == [None, None]
    assert button(at, "Reveal the M-step").disabled
    third = click_axis(at, 0.5)
    assert guesses(at) == [pytest.approx(third), None]


def test_m_step_numbers_are_numpys():
    at = at_stop(5)
    g1, g2 = click_axis(at, -1.0), click_axis(at, 3.0)
    click(at, "Reveal the M-step")
    x = lesson_data()
    g = start_gamma(x)
    for z in range(2):
        text = at.latex[z].value
        mu = np.average(x, weights=g[:, z])
        values = {
            "N": g[:, z].sum(), "mu": mu,
            "var": np.average((x - mu) ** 2, weights=g[:, z]), "pi": g[:, z].mean()}
        parts = text.replace(r"\end{aligned}", "").split(r"\\")
        got = [float(re.findall(r"-?\d+\.?\d*", p.split("=")[-1])[0]) for p in parts]
        np.testing.assert_allclose(got, list(values.values()), rtol=1e-3)
    new_mu = [np.average(x, weights=g[:, z]) for z in range(2)]
    miss = np.mean([abs(g1 - new_mu[0]), abs(g2 - new_mu[1])])
    m = metrics(at)
    assert float(m["Mean distance from your guesses"]) == pytest.approx(miss, abs=5e-4)
    assert m["Points"] == f"{round(100 * max(0, 1 - miss / 2))} / 100"
    offs = [v.value for v in at.markdown if "off by" in v.value]
    assert offs == [f"Your μ₁ = {g1:.2f}: off by **{abs(g1 - new_mu[0]):.3f}**",
                    f"Your μ₂ = {g2:.2f}: off by **{abs(g2 - new_mu[1]):.3f}**"]


def test_iterating_never_lowers_the_log_likelihood_and_stops_at_the_tolerance():
    at = at_stop(6)
    x = lesson_data().reshape(-1, 1)
    start_ll = np.log(sum(p * norm.pdf(x[:, 0], m, np.sqrt(v)) for p, m, v in
                          zip(START.weights, START.means, START.variances))).sum()
    assert float(metrics(at)["log p(x | λ)"]) == pytest.approx(start_ll, abs=1e-4)
    previous = start_ll
    for _ in range(3):
        click(at, "One EM iteration")
        now = float(metrics(at)["log p(x | λ)"])
        assert now >= previous - 1e-9
        previous = now
    click(at, "Run to convergence")
    assert metrics(at)["Stopped by |change| < tol"] == "yes"
    gm = GaussianMixture(2, covariance_type="spherical", weights_init=START.weights,
                         means_init=np.reshape(START.means, (-1, 1)), reg_covar=0.0,
                         precisions_init=1 / np.asarray(START.variances), tol=1e-10,
                         max_iter=5000).fit(x)
    # stopped at tol 1e-3: within a few 1e-3 of sklearn's fully converged optimum
    assert float(metrics(at)["log p(x | λ)"]) == pytest.approx(gm.score(x) * len(x), abs=1e-2)


@pytest.mark.parametrize("stop, label, url, expected", [
    (7, "Open Initializations", app_pages.INITIALIZATIONS, {"K": 3}),
    (8, "Open Model selection", app_pages.MODEL_SELECTION, {"K": 3}),
    (10, "Open Model selection", app_pages.MODEL_SELECTION, {"K": 8, "n_points": 60}),
    (11, "Open Applications", app_pages.APPLICATIONS,
     {"dataset": "Article example (2 Gaussians)", "K": 2}),
])
def test_short_stops_open_their_page_with_settings(stop, label, url, expected):
    at = at_stop(stop)
    assert at.get("plotly_chart") or stop == 11
    click(at, label)
    assert not at.get("progress")  # the lesson is gone: another page is shown
    for key, value in expected.items():
        assert at.session_state["s_" + key] == value


def test_covariance_stop_opens_step_by_step_with_the_chosen_type():
    at = at_stop(9)
    at.radio[0].set_value("diag").run()
    click(at, "Open Step by step")
    assert not at.get("progress")
    assert at.session_state["s_covariance_type"] == "diag"
    assert at.session_state["s_dataset"] == "Anisotropic cigars"
