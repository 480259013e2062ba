"""ui.drag (what the chart's grab layer gets, and the drop read back into parameters) and
ui.link_moves (hand-set records in a link), without a browser."""

import numpy as np
import pytest

from gmm_core import EMEngine, MixtureParameters
from gmm_core.datasets import make_unequal_sizes
from ui import drag, figures, link_moves

X = make_unequal_sizes(300, seed=2).X


def _record(cov, steps=1):
    engine = EMEngine(X, 3, covariance_type=cov, random_state=0)
    for _ in range(steps):
        engine.step()
    return engine, engine.current


def test_drag_args_name_the_traces_the_layer_redraws():
    engine, record = _record("full")
    fig = figures.mixture_figure(X, record, engine.responsibilities_at(record.index),
                                 previous=engine.history[1], sigmas=(1, 2))
    args = drag.drag_args(fig, X, record.params, record.log_likelihood,
                          engine.responsibilities_at(record.index), revision=2)
    spec = args["drag"]
    assert fig.data[spec["points"]].name == "data"
    assert sorted((e["component"], e["sigma"]) for e in spec["ellipses"]) == [
        (c, s) for c in range(3) for s in (1.0, 2.0)]
    for e in spec["ellipses"]:
        assert fig.data[e["index"]].name == f"component {e['component'] + 1} {e['sigma']:g}σ"
    assert [fig.data[i].name.split(":")[0] for i in spec["mean_traces"]] == ["1", "2", "3"]
    # the data and the γ in force travel as exact float64 bytes
    np.testing.assert_array_equal(np.frombuffer(args["drag_x"]).reshape(X.shape), X)
    np.testing.assert_array_equal(np.frombuffer(args["drag_gamma"]).reshape(-1, 3),
                                  engine.responsibilities_at(record.index))
    np.testing.assert_array_equal(np.array(spec["covs"]).reshape(3, 2, 2),
                                  record.params.full_covariances())


def test_drag_args_in_1d():
    x1 = X[:, :1]
    engine = EMEngine(x1, 2, random_state=0)
    engine.step()
    record = engine.current
    fig = figures.density_1d_figure(x1, record, engine.responsibilities_at(2))
    spec = drag.drag_args(fig, x1, record.params, record.log_likelihood, None,
                          revision=2)["drag"]
    assert [fig.data[i].name for i in spec["curves"]] == ["π1·N(x | μ1, σ1²)",
                                                          "π2·N(x | μ2, σ2²)"]
    assert fig.data[spec["mixture"]].name == "mixture p(x)"
    assert fig.data[spec["points"]].name == "data points"
    np.testing.assert_array_equal(spec["grid"], fig.data[spec["curves"][0]].x)


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_a_drop_reads_back_in_the_runs_covariance_type(cov):
    _, record = _record(cov)
    p = record.params
    full = p.full_covariances()
    drop = {"weights": p.weights.tolist(), "means": p.means.tolist(),
            "covs": [c.reshape(-1).tolist() for c in full], "component": 0, "handle": "mean"}
    back = drag.parameters_from_drop(drop, cov)
    assert back.covariance_type == cov
    np.testing.assert_allclose(back.covariances, p.covariances, rtol=1e-12)
    np.testing.assert_array_equal(back.means, p.means)


def test_a_drop_that_is_no_gaussian_is_refused():
    _, record = _record("full")
    p = record.params
    bad = [[1.0, 2.0, 2.0, 1.0]] * 3  # eigenvalues 3 and −1
    with pytest.raises(ValueError):
        drag.parameters_from_drop({"weights": p.weights.tolist(), "means": p.means.tolist(),
                                   "covs": bad}, "full")


@pytest.mark.parametrize("cov", ["full", "tied", "diag", "spherical"])
def test_moves_round_trip_bit_for_bit(cov):
    engine, record = _record(cov)
    moved = MixtureParameters.from_covariances(record.weights, record.means + 0.1234567891,
                                               record.covariances, cov)
    engine.set_parameters(moved, note="you moved μ₁")
    engine.step()
    text = link_moves.encode(engine.history)
    assert text.startswith("3:")
    [(index, values)] = link_moves.decode(text).items()
    back = link_moves.parameters(values, record.params)
    assert index == 3
    for name in ("weights", "means", "covariances"):
        np.testing.assert_array_equal(getattr(back, name), getattr(moved, name))


@pytest.mark.parametrize("text", ["3:1,2,x", "x:1", "3", "0:1,2", "3:1,nan"])
def test_bad_moves_text_names_the_rule(text):
    with pytest.raises(ValueError, match="moves"):
        link_moves.decode(text)


def test_moves_of_the_wrong_shape_are_refused():
    _, record = _record("full")
    with pytest.raises(ValueError, match="needs 21 numbers"):
        link_moves.parameters([0.5, 0.5], record.params)
