"""ui.exports: the history CSV parsed back (vs the engine and scipy), the replay figure's
frames (vs responsibilities computed with scipy), the standalone HTML, the slide image size."""

import io
import json
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from gmm_core import EMEngine, parameters_from_json
from tests.helpers import COV_TYPES, blobs
from ui import exports, live_chart
from ui.figures import record_title
from ui.palette import blend


def _run(cov_type="full", d=2, n_iter=3, **kwargs):
    X = blobs(50, seed=1, d=d)
    engine = EMEngine(X, 3, covariance_type=cov_type, random_state=0, tol=0, **kwargs)
    engine.run(max_iter=n_iter)
    return X, engine.history


def _scipy_covariances(row, cov_type, k, names):
    """The (K, d, d) covariances read back from a CSV row, per its column names."""
    d = len(names)
    out = np.zeros((k, d, d))
    for z in range(k):
        for i, a in enumerate(names):
            for j in range(d):
                lo, hi = sorted((i, j))
                pair = f"{names[lo]},{names[hi]}"
                if cov_type == "full":
                    out[z, i, j] = row[f"Sigma_{z + 1}[{pair}]"]
                elif cov_type == "tied":
                    out[z, i, j] = row[f"Sigma[{pair}]"]
                elif i == j:
                    out[z, i, j] = (row[f"sigma2_{z + 1}[{a}]"] if cov_type == "diag"
                                    else row[f"sigma2_{z + 1}"])
    return out


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_history_csv_parses_back_to_the_run(cov_type):
    X, history = _run(cov_type)
    names = ("width", "height")
    table = pd.read_csv(io.StringIO(exports.history_csv(history, names)))
    assert len(table) == len(history) == 7
    assert list(table["phase"]) == ["start", "E", "M", "E", "M", "E", "M"]
    assert list(table["half_step"]) == list(range(7))
    for i, r in enumerate(history):
        row = table.loc[i]
        assert row["log_likelihood"] == r.log_likelihood  # %.17g: the same float
        if i:
            assert row["delta_log_likelihood"] == pytest.approx(
                r.log_likelihood - history[i - 1].log_likelihood, abs=1e-9)
        if r.phase == "E" and i > 1:
            assert row["delta_mean_log_likelihood"] == r.change
        else:  # the first E-step has no previous value: empty, not "inf" (issue 24)
            assert np.isnan(row["delta_mean_log_likelihood"])
        w = np.array([row[f"pi_{z}"] for z in (1, 2, 3)])
        means = np.array([[row[f"mu_{z}[{f}]"] for f in names] for z in (1, 2, 3)])
        covs = _scipy_covariances(row, cov_type, 3, names)
        np.testing.assert_array_equal(w, r.params.weights)
        np.testing.assert_array_equal(means, r.params.means)
        # the upper triangle is written (a stored Σ can be asymmetric by an ulp)
        np.testing.assert_allclose(covs, r.params.full_covariances(), rtol=1e-15)
        dens = sum(wz * stats.multivariate_normal(m, c).pdf(X)
                   for wz, m, c in zip(w, means, covs))
        assert row["log_likelihood"] == pytest.approx(np.log(dens).sum(), rel=1e-11)


def test_parameters_json_says_which_half_step_and_loads_back():
    _, history = _run()
    text = exports.parameters_json(history[4], about={"data": "blobs"})
    about = json.loads(text)["about"]
    assert about == {"half_step": 4, "phase": "M", "iteration": 2,
                     "log_likelihood": history[4].log_likelihood, "data": "blobs"}
    loaded = parameters_from_json(text, n_features=2)
    np.testing.assert_array_equal(loaded.covariances, history[4].params.covariances)


def _scipy_gamma(params, X):
    dens = np.column_stack([w * stats.multivariate_normal(m, c).pdf(X) for w, m, c in
                            zip(params.weights, params.means, params.full_covariances())])
    return dens / dens.sum(axis=1, keepdims=True)


def test_replay_frames_follow_the_run():
    X, history = _run()
    fig = exports.replay_spec(X, history, feature_names=("x", "y"))
    frames = fig["frames"]
    assert [f["name"] for f in frames] == [str(i) for i in range(len(history))]
    n_traces = len(fig["data"])
    assert n_traces == 1 + 3 + 1 + 2  # points, 3 components, means, LL so far, ring
    np.testing.assert_array_equal(fig["data"][0]["x"], X[:, 0])
    for i, frame in enumerate(frames):
        data = frame["data"]
        assert len(data) == n_traces
        assert frame["layout"]["title"]["text"] == record_title(history[i])
        # γ in force: none at the start; after E_t and M_t, that of E_t's parameters.
        source = None if i == 0 else (i if history[i].phase == "E" else i - 1)
        colors = list(data[0]["marker"]["color"])
        if source is None:
            assert len(set(colors)) == 1
        else:
            expected = blend(_scipy_gamma(history[source].params, X))
            # A colour channel may round the other way at exactly .5: allow 1 unit.
            got = np.array([[int(c[k:k + 2], 16) for k in (1, 3, 5)] for c in colors])
            want = np.array([[int(c[k:k + 2], 16) for k in (1, 3, 5)] for c in expected])
            assert np.abs(got - want).max() <= 1
        np.testing.assert_array_equal(data[-2]["y"],
                                      [r.log_likelihood for r in history[:i + 1]])
        means = np.column_stack([data[4]["x"], data[4]["y"]])
        np.testing.assert_array_equal(means, history[i].params.means)
        # each component's 1σ outline: Mahalanobis distance 1 under its covariance
        for z in range(3):
            xs = np.array([v for v in data[1 + z]["x"] if v is not None][:72])
            ys = np.array([v for v in data[1 + z]["y"] if v is not None][:72])
            diff = np.column_stack([xs, ys]) - history[i].params.means[z]
            inv = np.linalg.inv(history[i].params.full_covariances()[z])
            np.testing.assert_allclose(np.einsum("ni,ij,nj->n", diff, inv, diff), 1,
                                       atol=1e-4)
    slider = fig["layout"]["sliders"][0]
    assert [list(s["args"][0]) for s in slider["steps"]] == [
        [str(i)] for i in range(len(history))]
    assert fig["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ Play"


def test_replay_of_one_feature_draws_curves():
    X, history = _run(d=1)
    fig = exports.replay_spec(X, history, feature_names=("x",))
    last = fig["frames"][-1]["data"]
    # components then the mixture: the mixture is their sum and a density (integrates to 1)
    comps = np.array([t["y"] for t in last[1:4]])
    mixture = np.asarray(last[4]["y"])
    np.testing.assert_allclose(mixture, comps.sum(axis=0))
    p = history[-1].params
    grid = np.asarray(last[4]["x"])
    want = sum(w * stats.norm.pdf(grid, m[0], np.sqrt(c))
               for w, m, c in zip(p.weights, p.means, p.full_covariances()[:, 0, 0]))
    np.testing.assert_allclose(mixture, want, rtol=1e-12)


def test_replay_html_is_standalone_and_says_what_it_samples():
    X = np.random.default_rng(0).normal(size=(1500, 2))
    engine = EMEngine(X, 2, random_state=0, tol=0)
    engine.run(max_iter=6)
    page = exports.replay_html(X, engine.history, title="A <title>", caption="What & how.",
                               feature_names=("x", "y"), max_frames=5)
    assert page.startswith("<!doctype html>")
    assert "<title>A &lt;title&gt;</title>" in page and "What &amp; how." in page
    # Plotly.js is inside (no <script src=...> to fetch); the browser test opens it offline.
    assert re.search(r"<script[^>]*\ssrc=", page) is None
    assert len(page) > 4_000_000 and "Plotly.newPlot" in page
    assert "a fixed random sample of 1,000 of the 1,500 points" in page
    assert "5 of the 13 half-steps have a frame" in page
    assert exports.frame_indices(13, 5) == [0, 3, 6, 9, 12]


def test_stop_sentence_says_how_the_run_ended():
    X, history = _run(n_iter=2)
    assert exports.stop_sentence(history, max_iter=2, tol=1e-3) == (
        "EM stopped at max_iter = 2 iterations without converging.")
    assert exports.stop_sentence(history, max_iter=100, tol=1e-3).startswith("Not converged")
    engine = EMEngine(X, 3, random_state=0, tol=1e-3)
    engine.run(max_iter=100)
    fired = next(r for r in engine.history if r.converged)
    text = exports.stop_sentence(engine.history, max_iter=100, tol=1e-3)
    assert f"Iteration {fired.iteration} · E-step: stopped by the rule" in text
    assert "< tol = 0.001" in text


def test_slide_images_are_1920_by_1080():
    options = live_chart.image_config("x")["toImageButtonOptions"]
    assert options["width"] * options["scale"] == 1920
    assert options["height"] * options["scale"] == 1080
    assert (live_chart.IMAGE_WIDTH, live_chart.IMAGE_HEIGHT) == (1920, 1080)
