"""Parameters to and from JSON (gmm_core.io): exact round trips, a restart at the same
numbers, and every bad file refused with a ValueError naming the problem."""

import json

import numpy as np
import pytest
from scipy import stats

from gmm_core import EMEngine, parameters_from_dict, parameters_from_json, parameters_to_json
from tests.helpers import COV_TYPES, PARAM_NAMES, blobs


def _fitted(cov_type, n_iter=4):
    X = blobs(60, seed=3)
    engine = EMEngine(X, 3, covariance_type=cov_type, random_state=0, tol=0)
    engine.run(max_iter=n_iter)
    return X, engine


def _good(cov_type="full"):
    _, engine = _fitted(cov_type, 2)
    return json.loads(parameters_to_json(engine.params))


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_round_trip_is_bit_exact(cov_type):
    _, engine = _fitted(cov_type)
    text = parameters_to_json(engine.params, about={"half_step": 8})
    loaded = parameters_from_json(text, n_features=2)
    assert loaded.covariance_type == cov_type
    for name in PARAM_NAMES:
        assert np.array_equal(getattr(loaded, name), getattr(engine.params, name)), name


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_restart_from_file_continues_the_original_run(cov_type):
    """Loaded as a start, the file restarts at the original's last parameters, and stepping
    on gives the numbers the original run gives by stepping on."""
    X, engine = _fitted(cov_type, n_iter=3)
    last_ll = engine.log_likelihood
    start = parameters_from_json(parameters_to_json(engine.params), n_features=2)
    restart = EMEngine.from_parameters(X, start, tol=0)
    assert restart.history[0].log_likelihood == last_ll
    # Independent oracle for that log-likelihood: scipy's densities of the loaded numbers.
    full = start.full_covariances()
    dens = sum(w * stats.multivariate_normal(m, c).pdf(X)
               for w, m, c in zip(start.weights, start.means, full))
    assert restart.history[0].log_likelihood == pytest.approx(np.log(dens).sum(), rel=1e-12)
    engine.run(max_iter=6)
    restart.run(max_iter=3)
    for name in PARAM_NAMES:
        np.testing.assert_allclose(getattr(restart.params, name), getattr(engine.params, name),
                                   rtol=1e-12, atol=1e-14)
    assert restart.log_likelihood == pytest.approx(engine.log_likelihood, rel=1e-13)


def _edit(**changes):
    data = _good()
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return json.dumps(data)


BAD = {
    "not json": ("{weights: [0.5, 0.5]", "not valid JSON"),
    "not text": (b"\x89PNG\r\n\x1a\n\xff\xfe", "not text"),
    "a list": ("[1, 2, 3]", "JSON object"),
    "missing means": (_edit(means=None), '"means"'),
    "unknown type": (_edit(covariance_type="fulll"), "covariance_type"),
    "text in weights": (_edit(weights=["a", 0.5, 0.5]), "numbers only"),
    "NaN mean": (_edit(means=[[float("nan"), 0], [1, 1], [2, 2]]), "NaN"),
    "weights sum": (_edit(weights=[0.5, 0.3, 0.3]), "sum to 1"),
    "negative weight": (_edit(weights=[1.2, -0.1, -0.1]), "> 0"),
    "ragged means": (_edit(means=[[0, 0], [1], [2, 2]]), "numbers only"),
    "two means for three weights": (_edit(means=[[0, 0], [1, 1]]), "K = 3"),
    "covariance shape": (_edit(covariances=[[[1, 0], [0, 1]]] * 2), "shape (3, 2, 2)"),
    "not positive-definite": (
        _edit(covariances=[[[1, 0], [0, 1]], [[1, 2], [2, 1]], [[1, 0], [0, 1]]]),
        "positive-definite"),
    "not symmetric": (
        _edit(covariances=[[[1, 0.5], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]]),
        "not symmetric"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_files_are_refused_with_the_problem_named(name):
    text, words = BAD[name]
    with pytest.raises(ValueError, match=None) as info:
        parameters_from_json(text, n_features=2)
    assert words in str(info.value), str(info.value)


def test_wrong_number_of_features_names_both_counts():
    with pytest.raises(ValueError, match="2 feature.*has 1"):
        parameters_from_dict(_good(), n_features=1)


def test_diag_and_spherical_need_positive_variances():
    data = _good("diag")
    data["covariances"][1][0] = 0.0
    with pytest.raises(ValueError, match="variance must be > 0"):
        parameters_from_dict(data)
    data = _good("spherical")
    data["covariances"][2] = -1.0
    with pytest.raises(ValueError, match="variance must be > 0"):
        parameters_from_dict(data)


def test_json_text_of_nan_literal_is_refused():
    text = _edit().replace('"weights": [', '"weights": [NaN, ', 1)
    with pytest.raises(ValueError, match="NaN"):
        parameters_from_json(text)
