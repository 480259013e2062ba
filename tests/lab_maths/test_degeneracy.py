"""The degeneracy lab's collapse, checked against the Gaussian density's definition."""

import numpy as np
import pytest
from scipy import stats

from lab_maths import degeneracy as dg


def run(reg_covar, steps=60):
    preset = dg.collapse_preset()
    engine = dg.lab_engine(preset, reg_covar)
    error = None
    for _ in range(steps):
        try:
            engine.step()
        except ValueError as exc:
            error = str(exc)
            break
    return preset, engine, dg.collapse_trace(engine, preset.duplicate), error


def test_preset():
    preset = dg.collapse_preset(n_blob=50, n_duplicates=3)
    assert preset.X.shape == (53, 2)
    assert (preset.X[-3:] == [3.0, 3.0]).all()
    np.testing.assert_allclose(preset.start["precisions_init"][0],
                               np.linalg.inv(np.cov(preset.X.T)))


def test_without_reg_covar_the_likelihood_climbs_until_a_plain_refusal():
    _, engine, trace, error = run(0.0)
    assert error is not None and "reg_covar" in error and "Traceback" not in error
    assert trace.smallest_variance.iloc[-1] < 1e-6 * trace.smallest_variance.iloc[0]
    ll = trace.log_likelihood.to_numpy()
    assert np.all(np.diff(ll) > 0)  # EM never decreases it, and here it keeps climbing
    assert trace.log_density_at_point.iloc[-1] > 0  # a density above 1 at the spike


def test_reg_covar_stops_the_shrinking_at_about_reg_covar():
    preset, engine, trace, error = run(1e-6)
    assert error is None
    assert trace.smallest_variance.iloc[-1] == pytest.approx(1e-6, rel=1e-3)
    # log p at the duplicates, by the definition: π₂ N(x | μ₂, Σ₂) + π₁ N(x | μ₁, Σ₁).
    params = engine.current.params
    density = sum(w * stats.multivariate_normal(m, c).pdf(preset.duplicate)
                  for w, m, c in zip(params.weights, params.means, params.full_covariances()))
    assert trace.log_density_at_point.iloc[-1] == pytest.approx(np.log(density), rel=1e-9)
    assert trace.log_density_at_point.iloc[-1] > 0
    assert trace.log_likelihood.iloc[-1] == pytest.approx(trace.log_likelihood.iloc[-2])
