"""EMEngine.set_parameters: a hand-set record (a dragged component) that EM goes on from.

Oracles: ``gmm_core.reference`` (SciPy densities, the textbook M-step), scikit-learn from
the moved parameters, and the ELBO written out from SciPy's log-densities.
"""

import warnings

import numpy as np
import pytest
from scipy.stats import multivariate_normal
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import EMEngine, MixtureParameters, reference
from tests.helpers import COV_TYPES, assert_params_close, blobs

X3 = blobs()


def _moved(engine, shift=(1.5, -0.75), component=1):
    """The engine's parameters with one mean shifted (covariances kept, same type)."""
    p = engine.params
    means = np.array(p.means)
    means[component] += shift
    return MixtureParameters.from_covariances(p.weights, means, p.covariances,
                                              p.covariance_type)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_set_record_then_em_goes_on_from_it(cov_type):
    engine = EMEngine(X3, 3, covariance_type=cov_type, random_state=0, reg_covar=1e-6)
    engine.step()
    old_gamma = np.array(engine.responsibilities)
    moved = _moved(engine)
    record = engine.set_parameters(moved, note="you moved component 2")
    assert (record.phase, record.note, record.index) == ("set", "you moved component 2", 3)
    assert record.iteration == 1 and record.n_iter == 1 and not record.converged
    assert engine.next_phase == "E"
    np.testing.assert_array_equal(record.means, moved.means)
    gamma, ll = reference.e_step(X3, moved.weights, moved.means, moved.covariances, cov_type)
    assert record.log_likelihood == pytest.approx(ll, rel=1e-12)
    # ELBO of the γ still in force (the last E-step's) with the moved parameters
    covs = moved.full_covariances()
    log_joint = np.column_stack([np.log(moved.weights[z])
                                 + multivariate_normal(moved.means[z], covs[z]).logpdf(X3)
                                 for z in range(3)])
    elbo = float(np.sum(old_gamma * (log_joint - np.log(old_gamma))))
    assert record.lower_bound == pytest.approx(elbo, rel=1e-10)
    assert record.lower_bound <= record.log_likelihood + 1e-9 * abs(record.log_likelihood)
    # E-step: the responsibilities of the moved parameters; M-step: the textbook M-step on them
    e = engine.e_step()
    np.testing.assert_allclose(engine.responsibilities, gamma, rtol=0, atol=1e-12)
    assert e.change == np.inf  # the convergence test starts afresh after a hand move
    m = engine.m_step()
    w, mu, cov = reference.m_step(X3, gamma, cov_type, reg_covar=1e-6)
    np.testing.assert_allclose(m.weights, w, rtol=1e-10)
    np.testing.assert_allclose(m.means, mu, rtol=1e-10)
    np.testing.assert_allclose(m.covariances, cov, rtol=1e-9)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_run_from_a_set_record_matches_sklearn_from_those_parameters(cov_type):
    engine = EMEngine(X3, 3, covariance_type=cov_type, random_state=1)
    engine.run()
    moved = _moved(engine, shift=(-2.0, 1.0), component=0)
    engine.set_parameters(moved)
    engine.run(max_iter=engine.n_iter + 200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(3, covariance_type=cov_type, max_iter=200,
                               weights_init=moved.weights, means_init=moved.means,
                               precisions_init=moved.precisions).fit(X3)
    done = [r for r in engine.history if r.phase == "M" and r.index > 0]
    after = [r for r in done if r.index > next(r.index for r in engine.history
                                                if r.phase == "set")]
    assert len(after) == sk.n_iter_
    assert_params_close(engine.params, _sk_params(sk, cov_type), rtol=1e-7)


def _sk_params(sk, cov_type):
    return MixtureParameters.from_covariances(sk.weights_, sk.means_, sk.covariances_, cov_type)


def test_rewind_past_and_to_a_set_record():
    engine = EMEngine(X3, 3, random_state=0)
    engine.step()
    before = engine.params
    moved = _moved(engine)
    engine.set_parameters(moved, note="n")
    engine.step()
    after_step = engine.params
    engine.rewind(3)  # the set record: EM goes on from it again, the same way
    assert engine.current.phase == "set" and engine.next_phase == "E"
    engine.step()
    assert_params_close(engine.params, after_step, rtol=0)
    assert engine.history[4].change == np.inf
    engine.rewind(2)  # before the move: the hand move is gone
    assert_params_close(engine.params, before, rtol=0)
    engine.step()
    assert np.isfinite(engine.history[3].change)


def test_set_before_any_e_step_has_no_lower_bound():
    engine = EMEngine(X3, 2, random_state=0)
    record = engine.set_parameters(_moved(engine))
    assert record.lower_bound is None and record.iteration == 0
    assert engine.responsibilities_at(1) is None


def test_set_during_a_pending_m_step_drops_it():
    engine = EMEngine(X3, 2, random_state=0)
    engine.e_step()
    engine.set_parameters(_moved(engine))
    assert engine.next_phase == "E"
    with pytest.raises(RuntimeError, match="e_step"):
        engine.m_step()


@pytest.mark.parametrize("bad, match", [
    ("shape", "n_components"),
    ("type", "covariance_type"),
    ("weights", "sum to 1"),
    ("object", "MixtureParameters"),
])
def test_bad_parameters_are_refused_and_the_run_is_unchanged(bad, match):
    engine = EMEngine(X3, 3, random_state=0)
    engine.step()
    p = engine.params
    params = {
        "shape": MixtureParameters.from_covariances(p.weights[:2] / p.weights[:2].sum(),
                                                    p.means[:2], p.covariances[:2], "full"),
        "type": MixtureParameters.from_covariances(p.weights, p.means,
                                                   p.full_covariances()[0], "tied"),
        "weights": MixtureParameters(p.weights * 2, p.means, p.covariances,
                                     p.precisions_cholesky, "full"),
        "object": {"weights": p.weights},
    }[bad]
    with pytest.raises(ValueError, match=match):
        engine.set_parameters(params)
    assert len(engine.history) == 3 and engine.params is p


def test_not_positive_definite_is_refused_when_building_the_parameters():
    p = EMEngine(X3, 2, random_state=0).params
    with pytest.raises(ValueError):
        MixtureParameters.from_covariances(p.weights, p.means,
                                           np.array([[[1, 2], [2, 1]]] * 2), "full")
