"""The Lesson page through AppTest: every stop, a prediction at each predict stop, the
numbers on screen against SciPy/NumPy/scikit-learn, the buttons that open other pages."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.mixture import GaussianMixture
from streamlit.testing.v1 import AppTest

import app_pages
from app_pages.lesson import keys
from gmm_core.lesson import START, lesson_data
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
        if stop == 5:
            slider(at, "Your prediction: new μ₁").set_value(-2.0).run()
            slider(at, "Your prediction: new μ₂").set_value(2.0).run()
            click(at, "Reveal the M-step")
        click(at, "Next →" if stop < N_STOPS else "See your scores →")
    assert at.title[0].value == "Lesson: your scores"
    rows = at.table[0].value
    assert list(rows["prediction"]) == ["E-step: γ", "M-step: μ"]
    g = start_gamma(x)
    miss_e = abs(0.9 - g[np.argsort(x)[23], 0])
    miss_m = np.mean([abs(-2.0 - np.average(x, weights=g[:, 0])),
                      abs(2.0 - np.average(x, weights=g[:, 1]))])
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


def test_latent_stop_draws_and_hides_the_colours():
    at = at_stop(3)
    click(at, "Draw 1")
    click(at, "Draw 20")
    assert metrics(at)["Points drawn"] == "21"
    assert not [i for i in at.info if "what EM sees" in i.value]
    at.toggle[0].set_value(True).run()
    assert [i for i in at.info if "This is what EM sees" in i.value]


def test_m_step_numbers_are_numpys():
    at = at_stop(5)
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
    assert metrics(at)["Stopped"] == "yes: |change| < tol"
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
