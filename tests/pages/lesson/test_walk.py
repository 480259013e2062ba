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


def choose(at, prompt_start: str, index: int):
    """Press option ``index`` of the choice whose question starts with ``prompt_start``."""
    [r] = [r for r in at.radio if r.label.startswith(prompt_start)]
    r.set_value(index).run()
    assert not at.exception, at.exception


def scores(at) -> dict:
    return at.session_state[keys.SCORES]


def test_walk_every_stop_predicting_at_each_predict_stop():
    """One learner's walk: a prediction at every predict stop, each truth against an
    independent oracle (SciPy, NumPy, scikit-learn) to 1e-9, then the scores page."""
    from tests.pages.lesson import oracles

    at = lesson()
    x = lesson_data()
    for stop in range(1, N_STOPS + 1):
        assert progress(at).startswith(f"Stop {stop} of {N_STOPS}"), progress(at)
        assert at.info[0].value.startswith("**Notice:**")
        if stop == 3:
            for _ in range(3):
                click(at, "Step")
        if stop == 4:
            slider(at, "Your guess: $\\gamma_{1i}$").set_value(0.9).run()
            click(at, "Reveal γ")
            truth = start_gamma(x)[np.argsort(x)[24 - 1], 0]
            assert scores(at)["lesson.e_step.gamma"]["truth"][0] == pytest.approx(truth, abs=1e-9)
            assert float(metrics(at)["True γ₁ᵢ"]) == pytest.approx(truth, abs=5e-4)
        if stop == 5:
            click_axis(at, -2.0)
            click_axis(at, 2.0)
            click(at, "Reveal the M-step")
            g = start_gamma(x)
            means = [np.average(x, weights=g[:, z]) for z in range(2)]
            np.testing.assert_allclose(scores(at)["lesson.m_step.means"]["truth"], means,
                                       rtol=0, atol=1e-9)
        if stop == 6:
            slider(at, "Your guess: log p(x | λ)").set_value(-130.0).run()
            click(at, "Reveal: run 5 iterations")
            truth = oracles.iterate_log_likelihood(5)
            assert scores(at)["lesson.iterate.log_likelihood"]["truth"][0] == pytest.approx(
                truth, abs=1e-9)
            assert float(metrics(at)["log L at iteration 5"]) == pytest.approx(truth, abs=5e-3)
        if stop == 7:
            choose(at, "Which start", 0)
            click(at, "Reveal: run EM from all three")
            finals = oracles.init_finals()
            assert scores(at)["lesson.init.best_start"]["truth"] == (int(np.argmax(finals)),)
        if stop == 8:
            choose(at, "Which K", 2)
            click(at, "Reveal BIC and AIC")
            assert scores(at)["lesson.choose_k.bic"]["truth"] == (
                int(np.argmin(oracles.k_criteria(4.0)[0])),)
        if stop == 9:
            choose(at, "Which covariance type", 3)
            click(at, "Reveal the four fits")
            assert scores(at)["lesson.covariance.bic"]["truth"] == (
                int(np.argmin(oracles.cov_bics("Round blobs of different sizes"))),)
        if stop == 10:
            choose(at, "As the third component", 1)
            click(at, "Reveal: shrink σ")
            assert scores(at)["lesson.overfit.collapse"]["truth"] == (
                oracles.collapse_answer(),)
        click(at, "Next →" if stop < N_STOPS else "Scores →")
    assert at.title[0].value == "Lesson: your scores"
    rows = at.table[0].value
    # "Stop n ·", not "n.": st.table's markdown made "4. …" a numbered list and cut "10."
    assert list(rows["prediction"]) == [
        "Stop 4 · E-step: γ", "Stop 5 · M-step: μ", "Stop 6 · Iterate: log L ahead",
        "Stop 7 · Initialisation: best start", "Stop 8 · Choosing K: BIC",
        "Stop 9 · Covariance type: BIC", "Stop 10 · Overfitting: σ → 0"]
    g = start_gamma(x)
    miss_e = abs(0.9 - g[np.argsort(x)[23], 0])
    miss_m = max(abs(-2.0 - np.average(x, weights=g[:, 0])),
                 abs(2.0 - np.average(x, weights=g[:, 1])))  # -2 and 2 are on the row
    miss_it = abs(-130.0 - oracles.iterate_log_likelihood(5))
    finals = oracles.init_finals()
    expected = [round(100 * max(0, 1 - miss_e / 0.5)), round(100 * max(0, 1 - miss_m / 2)),
                round(100 * max(0, 1 - miss_it / 20)),
                100 * (int(np.argmax(finals)) == 0),
                100 * (int(np.argmin(oracles.k_criteria(4.0)[0])) == 2),
                100 * (int(np.argmin(oracles.cov_bics("Round blobs of different sizes"))) == 3),
                100 * (oracles.collapse_answer() == 1)]
    assert list(rows["points"]) == [f"{p} / 100" for p in expected]
    assert metrics(at)["Total"] == f"{sum(expected)} / 700"
    # each miss explained in one sentence; a hit (≥ 80 points) is not
    whys = list(rows["why a miss"])
    for why, points in zip(whys, expected):
        assert (why != "") == (points < 80), (why, points)
        assert why.count(". ") == 0 and (why == "" or why.endswith("."))


def test_scores_page_names_stops_not_answered():
    at = at_stop(4)
    click(at, "Reveal γ")
    at.session_state[keys.STOP] = 12
    at.run()
    assert metrics(at)["Total"].endswith("/ 700")
    assert "Not answered yet: stop 5, 6, 7, 8, 9, 10." in [c.value for c in at.caption]


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
    miss = max(abs(g1 - new_mu[0]), abs(g2 - new_mu[1]))  # the Question scores the farther
    m = metrics(at)
    assert float(m["Farther guess off by"]) == pytest.approx(miss, abs=5e-4)
    assert m["Points"] == f"{round(100 * max(0, 1 - miss / 2))} / 100"
    offs = [v.value for v in at.markdown if "off by" in v.value]
    assert offs == [f"Your μ₁ = {g1:.2f}: off by **{abs(g1 - new_mu[0]):.3f}**",
                    f"Your μ₂ = {g2:.2f}: off by **{abs(g2 - new_mu[1]):.3f}**"]


def test_m_step_guesses_typed_with_the_keyboard():
    at = at_stop(5)
    [n1, n2] = at.number_input
    n1.set_value(-1.5).run()
    assert guesses(at) == [-1.5, None]
    assert "Your turn: μ₂" in " ".join(m.value for m in at.markdown)
    at.number_input[1].set_value(1.75).run()
    assert guesses(at) == [-1.5, 1.75]
    click(at, "Reveal the M-step")
    assert at.session_state[keys.SCORES]["lesson.m_step.means"]["answer"] == (-1.5, 1.75)
    click(at, "Redo my guesses")
    assert guesses(at) == [None, None] and at.number_input[0].value is None


def test_iterating_never_lowers_the_log_likelihood_and_stops_by_the_mean_rule():
    from tests.pages.lesson import oracles

    at = at_stop(6)
    x = lesson_data().reshape(-1, 1)
    start_ll = np.log(sum(p * norm.pdf(x[:, 0], m, np.sqrt(v)) for p, m, v in
                          zip(START.weights, START.means, START.variances))).sum()
    assert float(metrics(at)["log p(x | λ)"]) == pytest.approx(start_ll, abs=1e-4)
    previous = start_ll
    for t in range(1, 4):
        click(at, "One EM iteration")
        now = float(metrics(at)["log p(x | λ)"])
        assert now >= previous - 1e-9
        assert now == pytest.approx(oracles.iterate_log_likelihood(t), abs=1e-4)
        previous = now
    for tol in (1e-3, 1e-1, 1e-6):
        [s] = [s for s in at.select_slider if s.label.startswith("Tolerance tol")]
        s.set_value(tol).run()
        click(at, "Run to convergence")
        assert metrics(at)["Stopped by the rule"] == "yes"
        n_iter = oracles.iterate_n_iter(tol)  # scikit-learn's rule: the MEAN per point
        captions = " ".join(c.value for c in at.caption)
        assert f"EM stops after {n_iter} iterations" in captions, captions
        assert "MEAN log-likelihood per point" in captions
        assert float(metrics(at)["log p(x | λ)"]) == pytest.approx(
            oracles.iterate_log_likelihood(n_iter), abs=1e-4)


def test_iterate_prediction_from_a_later_iteration_reaches_where_em_stops():
    from tests.pages.lesson import oracles

    at = at_stop(6)
    for _ in range(4):
        click(at, "One EM iteration")
    click(at, "Reveal: run 5 iterations")  # from 4, EM stops at 7 (tol 10⁻³)
    n_iter = oracles.iterate_n_iter(1e-3)
    assert at.session_state[keys.SCORES]["lesson.iterate.log_likelihood"]["truth"][0] == \
        pytest.approx(oracles.iterate_log_likelihood(n_iter), abs=1e-9)
    assert f"log L at iteration {n_iter}" in metrics(at)


@pytest.mark.parametrize("stop, label, url, expected", [
    (7, "Open Initializations", app_pages.INITIALIZATIONS, {"K": 3}),
    (8, "Open Model selection", app_pages.MODEL_SELECTION, {"K": 3}),
    (10, "Open Model selection", app_pages.MODEL_SELECTION, {"K": 8, "n_points": 60}),
    (11, "Open Applications", app_pages.APPLICATIONS,
     {"dataset": "Article example (2 Gaussians)", "K": 2}),
])
def test_stops_open_their_page_with_settings(stop, label, url, expected):
    from .test_engine_stops import reveal

    at = reveal(stop)
    click(at, label)
    assert not at.get("progress")  # the lesson is gone: another page is shown
    for key, value in expected.items():
        assert at.session_state["s_" + key] == value


def test_covariance_stop_opens_step_by_step_with_the_chosen_type():
    from .test_engine_stops import reveal

    at = reveal(9)
    [r] = [r for r in at.radio if r.label.startswith("Try one")]
    r.set_value("diag").run()
    click(at, "Open Step by step")
    assert not at.get("progress")
    assert at.session_state["s_covariance_type"] == "diag"
    assert at.session_state["s_dataset"] == "Anisotropic cigars"
