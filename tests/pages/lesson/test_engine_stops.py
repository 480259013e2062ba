"""Stops 7 and 8 quote this project's engine; the oracle is scikit-learn from the same
starts (same data, same init_params and random_state), to tight tolerance."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.mixture import GaussianMixture

from lab_maths import lesson as lm

from .test_walk import at_stop


def three_modes():
    """The stops' data, drawn independently: z ~ π, x ~ N(μ_z, σ_z²) with NumPy."""
    rng = np.random.default_rng(5)
    w, m, v = (0.4, 0.3, 0.3), np.array([-3.0, 0.5, 3.5]), np.array([0.5, 0.3, 0.6])
    z = rng.choice(3, size=300, p=w)
    return rng.normal(m[z], np.sqrt(v)[z]).reshape(-1, 1)


def figure(at, i=0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def test_the_data_is_the_documented_draw():
    np.testing.assert_array_equal(
        three_modes()[:, 0],
        lm.sample_latent(lm.Mixture1D((0.4, 0.3, 0.3), (-3.0, 0.5, 3.5), (0.5, 0.3, 0.6)),
                         300, seed=5)[1])


def test_initialisation_stop_quotes_the_engine_equal_to_sklearn():
    at = at_stop(7)
    X = three_modes()
    [trace] = figure(at)["data"]
    fits = {f"random start {s}": GaussianMixture(3, init_params="random_from_data",
                                                 random_state=s, max_iter=500).fit(X)
            for s in range(8)}
    fits["k-means start"] = GaussianMixture(3, init_params="kmeans", random_state=0,
                                            max_iter=500).fit(X)
    assert trace["x"] == list(fits)
    expected = [gm.score(X) * len(X) for gm in fits.values()]
    np.testing.assert_allclose(trace["y"], expected, rtol=1e-9)
    assert len(set(np.round(expected, 0))) >= 3  # different optima really are reached
    caption = at.caption[0].value
    km = fits["k-means start"]
    assert f"log-likelihood {km.score(X) * len(X):,.1f} after {km.n_iter_} iterations" in caption
    worst = min(fits, key=lambda k: fits[k].score(X))
    assert (f"the worst, {worst}: {fits[worst].score(X) * len(X):,.1f} after "
            f"{fits[worst].n_iter_}") in caption


def test_choosing_k_stop_quotes_the_engine_equal_to_sklearn():
    at = at_stop(8)
    X = three_modes()
    traces = {t["name"]: t for t in figure(at)["data"]}
    ks = list(range(1, 7))
    fits = [GaussianMixture(k, random_state=0, n_init=3).fit(X) for k in ks]
    bic, aic = [f.bic(X) for f in fits], [f.aic(X) for f in fits]
    assert traces["BIC"]["x"] == ks
    np.testing.assert_allclose(traces["BIC"]["y"], bic, rtol=1e-9)
    np.testing.assert_allclose(traces["AIC"]["y"], aic, rtol=1e-9)
    caption = at.caption[0].value
    b, a = int(np.argmin(bic)), int(np.argmin(aic))
    assert caption.startswith(f"Lowest BIC at K = {ks[b]} ({bic[b]:,.1f}); lowest AIC at "
                              f"K = {ks[a]} ({aic[a]:,.1f}).")
    assert ks[b] == 3  # three modes drawn, three found


def test_the_stops_fit_with_the_engine_not_sklearn():
    from app_pages.lesson import tour
    from gmm_core import GaussianMixture as Engine

    assert tour.GaussianMixture is Engine
    assert "sklearn" not in Path(tour.__file__).read_text()
