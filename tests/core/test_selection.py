"""Model selection over K × covariance type."""

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SklearnGM

from gmm_core.datasets import load_faithful
from gmm_core.selection import compare_models


def test_faithful_table_matches_published_bic_and_sklearn():
    X = load_faithful().X
    table = compare_models(X, range(1, 4), ("full", "diag"), random_state=0)
    assert len(table) == 6
    assert list(table.columns[:4]) == ["n_components", "covariance_type", "n_parameters",
                                       "log_likelihood"]
    assert table["bic"].is_monotonic_increasing  # sorted, best first
    best = table.iloc[0]
    assert (best.n_components, best.covariance_type) == (2, "full")
    assert best.n_parameters == 11
    assert best.bic == pytest.approx(2322.192, abs=0.01)  # mclust's value, sklearn's sign
    assert best.log_likelihood == pytest.approx(-1130.264, abs=0.01)
    ref = SklearnGM(3, covariance_type="diag", random_state=0).fit(X)
    row = table[(table.n_components == 3) & (table.covariance_type == "diag")].iloc[0]
    assert row.aic == pytest.approx(ref.aic(X), rel=1e-9)
    assert np.isfinite(table["heldout_log_likelihood"]).all()


def test_models_that_cannot_fit_are_reported_not_raised():
    X = np.r_[np.zeros(5), np.ones(5)]
    table = compare_models(X, [1, 20], ("spherical",), reg_covar=0.0)
    failed = table[table.n_components == 20].iloc[0]
    assert np.isnan(failed.bic) and "n_components" in failed.error


def test_bad_test_fraction():
    with pytest.raises(ValueError, match="test_fraction"):
        compare_models(np.arange(10.0), test_fraction=1.5)
