"""Stops 7–11 after their prediction: the numbers shown against independent oracles
(scikit-learn from the same starts, SciPy, NumPy; tests/pages/lesson/oracles.py), to 1e-9
where the chart carries the exact value, to the printed digits where only text does."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from app_pages.lesson import keys
from gmm_core.datasets import IRIS_FEATURES, load_iris_features, make_unequal_sizes
from lab_maths import lesson as lm

from . import oracles
from .test_walk import at_stop, click, metrics

PICKS = {7: ("Which start", 1), 8: ("Which K", 2), 9: ("Which covariance type", 0),
         10: ("As the third component", 2)}
REVEAL = {7: "Reveal: run EM from all three", 8: "Reveal BIC and AIC",
          9: "Reveal the four fits", 10: "Reveal: shrink σ"}


def reveal(stop: int, pick: int | None = None):
    """The stop after a prediction and its reveal (stop 11 has none)."""
    at = at_stop(stop)
    if stop in PICKS:
        prompt, index = PICKS[stop]
        [r] = [r for r in at.radio if r.label.startswith(prompt)]
        r.set_value(index if pick is None else pick).run()
        click(at, REVEAL[stop])
    return at


def values(v) -> np.ndarray:
    """A trace's array: a JSON list, or Plotly's typed array ({"dtype", "bdata"})."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
    return np.asarray(v, dtype=float)


def chart_by_title(at, title_start: str) -> dict:
    for c in at.get("plotly_chart"):
        spec = json.loads(c.proto.spec)
        if spec["layout"].get("title", {}).get("text", "").startswith(title_start):
            return spec
    raise AssertionError(f"no chart titled {title_start!r}")


def test_the_data_is_the_documented_draw():
    np.testing.assert_array_equal(
        oracles.three_modes()[:, 0],
        lm.sample_latent(lm.Mixture1D((0.4, 0.3, 0.3), (-3.0, 0.5, 3.5), (0.5, 0.3, 0.6)),
                         300, seed=5)[1])


def test_initialisation_starts_drawn_and_runs_equal_to_sklearn():
    at = at_stop(7)
    X = oracles.three_modes()
    spec = chart_by_title(at, "The data and three starts")
    for seed, trace in zip(oracles.INIT_SEEDS, spec["data"][1:]):
        # random_from_data: K rows of the data, chosen by the seed's RandomState
        rows = np.random.RandomState(seed).choice(len(X), size=3, replace=False)
        np.testing.assert_allclose(trace["x"], X[rows, 0], rtol=0, atol=1e-12)
    at = reveal(7, pick=0)
    fits, finals = oracles.init_fits(), oracles.init_finals()
    right = int(np.argmax(finals))
    assert at.session_state[keys.SCORES]["lesson.init.best_start"]["truth"] == (right,)
    assert at.session_state[keys.SCORES]["lesson.init.best_start"]["points"] == 100 * (right == 0)
    last = max(gm.n_iter_ for gm in fits)
    for _ in range(last):  # play in lockstep to the end, a Step at a time
        click(at, "Step")
    m = metrics(at)
    for name, value in zip(("Start A", "Start B", "Start C"), finals):
        assert m[f"{name}: log L"] == f"{value:,.2f}"
    caption = " ".join(c.value for c in at.caption)
    for name, gm, value in zip(("Start A", "Start B", "Start C"), fits, finals):
        assert f"{name}: {value:,.2f} after {gm.n_iter_} iterations" in caption
    assert len({round(v) for v in finals}) == 3  # three different optima really are reached


@pytest.mark.parametrize("separation", [4.0, 3.0])
def test_choosing_k_three_curves_equal_to_sklearn(separation):
    at = at_stop(8)
    [s] = [s for s in at.select_slider if s.label.startswith("How far apart")]
    s.set_value(separation).run()
    [r] = [r for r in at.radio if r.label.startswith("Which K")]
    r.set_value(0).run()
    click(at, "Reveal BIC and AIC")
    bic, aic, ll = oracles.k_criteria(separation)
    assert at.session_state[keys.SCORES]["lesson.choose_k.bic"]["truth"] == (int(np.argmin(bic)),)
    spec = chart_by_title(at, "Fit, penalty and BIC: change from K = 1")
    traces = {t["name"]: t for t in spec["data"]}
    n = 240
    p = np.array([oracles.n_parameters(k, 1, "full") for k in range(1, 7)])
    assert traces["BIC = −2 log L + p ln n"]["x"] == list(range(1, 7))
    # drawn as changes from K = 1; to 1e-9 of the values (a few 1e-7 in absolute terms)
    for name, values in (("BIC = −2 log L + p ln n", bic), ("AIC = −2 log L + 2p", aic),
                         ("−2 log L (fit)", -2 * np.array(ll)), ("penalty p ln n",
                                                                  p * np.log(n))):
        np.testing.assert_allclose(traces[name]["y"], np.array(values) - values[0],
                                   rtol=0, atol=1e-9 * abs(values[0]) + 1e-12)
    assert np.all(np.diff(ll) > 0)  # the notice's claim, on these data: log L grows with K
    text = " ".join(m.value for m in at.markdown)
    b, a = int(np.argmin(bic)), int(np.argmin(aic))
    assert f"Lowest BIC at **K = {b + 1}** ({bic[b]:,.1f}); lowest AIC at **K = {a + 1}**" in text
    assert ("disagree" in text) == (a != b)


def test_choosing_k_slider_shows_bic_and_aic_disagreeing_somewhere():
    picks = [(int(np.argmin(bic)), int(np.argmin(aic)))
             for bic, aic, _ in map(oracles.k_criteria, (3.0, 4.0))]
    assert any(b != a for b, a in picks)


@pytest.mark.parametrize("name", ["Round blobs of different sizes", "Parallel cigars",
                                  "One round, one stretched"])
def test_covariance_types_bic_equal_to_sklearn_and_parameter_counts(name):
    at = at_stop(9)
    [r] = [r for r in at.radio if r.label == "Data"]
    r.set_value(name).run()
    [r] = [r for r in at.radio if r.label.startswith("Which covariance type")]
    r.set_value(0).run()
    click(at, "Reveal the four fits")
    bics = oracles.cov_bics(name)
    assert at.session_state[keys.SCORES]["lesson.covariance.bic"]["truth"] == (
        int(np.argmin(bics)),)
    k = 2 if name == "One round, one stretched" else 3
    table = at.table[0].value
    assert list(table.index) == list(oracles.COV_TYPES)
    assert list(table["total p"]) == [oracles.n_parameters(k, 2, t) for t in oracles.COV_TYPES]
    spec = json.loads(at.get("plotly_chart")[-1].proto.spec)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == [f"{t}: BIC {b:,.1f}" for t, b in zip(oracles.COV_TYPES, bics)]
    assert f"K = {k}, d = 2" in " ".join(m.value for m in at.markdown)


def test_the_three_data_sets_have_three_different_answers():
    assert len({int(np.argmin(oracles.cov_bics(n))) for n in oracles.COV_DATA}) == 3


def test_overfitting_log_likelihood_equal_to_scipy_and_reg_covar_stops_it():
    at = reveal(10)
    assert at.session_state[keys.SCORES]["lesson.overfit.collapse"]["truth"] == (
        oracles.collapse_answer(),) == (2,)
    [sig] = [s for s in at.select_slider if s.label.startswith("σ of the third")]
    [reg] = [s for s in at.select_slider if s.label.startswith("reg_covar")]
    for sigma in (1e-2, 1e-8, 1e-30):
        sig.set_value(sigma).run()
        m = metrics(at)
        assert float(m["log p(x | λ)"].replace(",", "")) == pytest.approx(
            oracles.collapse_log_likelihood(sigma), abs=5e-3)
    spec = chart_by_title(at, "log p(x | λ) as σ → 0")
    [line] = [t for t in spec["data"] if t["name"] == "reg_covar = 0"]
    expected = [oracles.collapse_log_likelihood(s) for s in line["x"]]
    np.testing.assert_allclose(line["y"], expected, rtol=1e-9)
    assert line["y"][-1] > line["y"][0] + 40  # climbing without bound: above the σ = 1 fit
    reg.set_value(1e-4).run()
    spec = chart_by_title(at, "log p(x | λ) as σ → 0")
    [line] = [t for t in spec["data"] if t["name"] == "reg_covar = 1e-4"]
    expected = [oracles.collapse_log_likelihood(s, 1e-4) for s in line["x"]]
    np.testing.assert_allclose(line["y"], expected, rtol=1e-9)
    assert max(line["y"]) < line["y"][0] + 1e-9  # stopped: never above the σ = 1 value


def test_overfitting_play_steps_sigma_down():
    at = reveal(10)
    click(at, "σ ÷ 10 (one notch)")
    assert at.session_state[keys.OF_SIGMA] == pytest.approx(10 ** -0.5)


def test_applications_anomaly_samples_and_pca_equal_to_sklearn():
    at = reveal(11)
    X = make_unequal_sizes(600, seed=0).X
    gm = GaussianMixture(3, random_state=0).fit(X)
    log_p = gm.score_samples(X)
    [t] = [s for s in at.slider if s.label.startswith("Threshold")]
    t.set_value(-5.0).run()
    flagged = int((log_p < -5.0).sum())
    assert chart_by_title(at, f"{flagged} of {len(X)} points flagged (log p < -5)")
    click(at, "Draw 300 samples from p(x | λ)")
    spec = chart_by_title(at, "The data (grey) and samples")
    expected, _ = GaussianMixture(3, random_state=0).fit(X).set_params(
        random_state=1).sample(300)
    np.testing.assert_allclose(values(spec["data"][1]["x"]), expected[:, 0], rtol=1e-9)
    ds = load_iris_features(IRIS_FEATURES)
    Z = StandardScaler().fit_transform(ds.X)
    for m in (1, 2, 4):
        [s] = [s for s in at.slider if s.label.startswith("Principal components")]
        s.set_value(m).run()
        scores = PCA(n_components=4, random_state=0).fit(Z).transform(Z)[:, :m]
        labels = GaussianMixture(3, random_state=0).fit(scores).predict(scores)
        assert metrics(at)["Agreement with the species (ARI)"] == \
            f"{adjusted_rand_score(ds.labels, labels):.3f}"
        ratio = PCA().fit(Z).explained_variance_ratio_[:m].sum()
        assert metrics(at)[f"Variance kept by {m} component(s)"] == f"{100 * ratio:.1f} %"


def test_the_stops_fit_with_the_engine_not_sklearn():
    import lab_maths.lesson_questions as lq
    from gmm_core import GaussianMixture as Engine

    assert lq.GaussianMixture is Engine
    for module in ("lesson_questions.py", "lesson.py"):
        text = (Path(lq.__file__).parent / module).read_text()
        assert not re.search(r"^\s*(from|import) sklearn", text, re.M)
