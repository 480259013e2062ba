"""EMEngine: one iteration and whole runs vs scikit-learn, history, rewind, degenerate cases."""

import dataclasses
import itertools
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core import EMEngine
from gmm_core.estep import estep
from tests.helpers import (
    COV_TYPES,
    INITS,
    PARAM_NAMES,
    assert_params_close,
    assert_params_equal,
    blobs,
    sklearn_parameters,
    user_start,
)

X3 = blobs()


# ---------------------------------------------------------------------------------------
# Parity with scikit-learn


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_one_iteration_matches_sklearn(cov_type):
    w, m, p = user_start(cov_type)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(3, covariance_type=cov_type, max_iter=1, tol=0.0,
                               weights_init=w, means_init=m, precisions_init=p).fit(X3)
    engine = EMEngine(X3, 3, covariance_type=cov_type, tol=0.0, weights_init=w, means_init=m,
                      precisions_init=p)
    # the start is exactly the user's
    np.testing.assert_allclose(engine.params.precisions, p, rtol=1e-12)
    np.testing.assert_array_equal(engine.means, m)
    record = engine.step()
    assert record.phase == "M" and engine.n_iter == 1
    sk_params = sklearn_parameters(sk, cov_type)
    assert_params_close(record.params, sk_params, rtol=1e-10)
    assert engine.history[1].mean_log_likelihood == pytest.approx(sk.lower_bound_, rel=1e-12)


@pytest.mark.parametrize("cov_type", COV_TYPES)
@pytest.mark.parametrize("init", INITS)
def test_run_matches_sklearn(cov_type, init):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGaussianMixture(3, covariance_type=cov_type, init_params=init,
                               random_state=3).fit(X3)
    engine = EMEngine(X3, 3, covariance_type=cov_type, init=init, random_state=3)
    engine.run()
    assert engine.n_iter == sk.n_iter_
    assert engine.converged == sk.converged_
    sk_params = sklearn_parameters(sk, cov_type)
    assert_params_close(engine.params, sk_params, rtol=1e-7, atol=1e-9)
    np.testing.assert_array_equal(engine.params.predict(X3), sk.predict(X3))


def test_run_respects_max_iter_and_continues():
    engine = EMEngine(X3, 3, init="random", random_state=0, tol=1e-12)
    engine.run(max_iter=2)
    assert engine.n_iter == 2 and not engine.converged
    engine.run(max_iter=2)  # max_iter counts iterations already done
    assert engine.n_iter == 2
    engine.e_step()
    engine.run(max_iter=3)  # finishes the pending M-step first
    assert engine.n_iter == 3
    assert [r.phase for r in engine.history][-2:] == ["E", "M"]
    engine.run(max_iter=0)
    assert engine.n_iter == 3


# ---------------------------------------------------------------------------------------
# History


def test_history_records():
    engine = EMEngine(X3, 3, random_state=0, init="random", tol=1e-6)
    for _ in range(3):
        engine.step()
    engine.e_step()
    engine.m_step()
    engine.run(max_iter=8)
    history = engine.history
    phases = [r.phase for r in history]
    assert phases[0] == "init"
    assert phases[1:] == ["E", "M"] * ((len(history) - 1) // 2)
    assert [r.index for r in history] == list(range(len(history)))
    for r in history:
        assert r.n_samples == len(X3)
        assert r.log_likelihood == pytest.approx(r.params.log_likelihood(X3), rel=1e-12)
        if r.phase == "init":
            assert r.iteration == 0 and r.n_iter == 0 and r.nk is None
        elif r.phase == "E":
            assert r.n_iter == r.iteration - 1
            assert r.lower_bound == r.log_likelihood
            assert r.change is not None
            np.testing.assert_allclose(r.nk.sum(), len(X3))
        else:
            assert r.n_iter == r.iteration
            assert r.change is None
            assert r.nk is not None
    assert history[-1].n_iter == engine.n_iter == 8
    # an E-step leaves parameters unchanged; its iteration is the next one
    for prev, r in itertools.pairwise(history):
        if r.phase == "E":
            assert r.params is prev.params
            assert r.iteration == prev.n_iter + 1
    # change = difference of mean log-likelihoods between consecutive E-steps
    e_records = [r for r in history if r.phase == "E"]
    for a, b in itertools.pairwise(e_records):
        assert b.change == pytest.approx(b.mean_log_likelihood - a.mean_log_likelihood,
                                         abs=1e-12)
    assert engine.current is history[-1]
    assert engine.log_likelihood == history[-1].log_likelihood


def test_records_are_immutable():
    engine = EMEngine(X3, 3, random_state=0)
    engine.step()
    for r in engine.history:
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.phase = "E"
        for name in PARAM_NAMES:
            arr = getattr(r, name)
            assert not arr.flags.writeable
            with pytest.raises(ValueError):
                arr[...] = 0
        if r.nk is not None:
            assert not r.nk.flags.writeable, f"{r.phase} record's nk is writeable"
    assert not engine.X.flags.writeable
    assert not engine.responsibilities.flags.writeable


def test_record_properties_mirror_params():
    engine = EMEngine(X3, 2, covariance_type="diag", random_state=0)
    r = engine.step()
    assert r.weights is r.params.weights and r.means is r.params.means
    assert r.covariances is r.params.covariances
    assert r.precisions_cholesky is r.params.precisions_cholesky
    assert r.covariance_type == "diag"
    assert r.mean_log_likelihood == pytest.approx(r.log_likelihood / len(X3))


def test_step_order_is_enforced():
    engine = EMEngine(X3, 3, random_state=0)
    assert engine.next_phase == "E"
    assert engine.responsibilities is None
    with pytest.raises(RuntimeError, match=r"e_step\(\)"):
        engine.m_step()
    engine.e_step()
    assert engine.next_phase == "M"
    with pytest.raises(RuntimeError, match=r"m_step\(\)"):
        engine.e_step()
    n_records = len(engine.history)
    record = engine.step()  # only the M-step
    assert record.phase == "M" and record.iteration == 1
    assert len(engine.history) == n_records + 1
    with pytest.raises(RuntimeError):
        engine.m_step()


def test_responsibilities():
    engine = EMEngine(X3, 3, random_state=0)
    assert engine.responsibilities is None
    engine.e_step()
    resp = engine.responsibilities
    assert resp.shape == (len(X3), 3)
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(resp, engine.params.responsibilities(X3), rtol=1e-10,
                               atol=1e-14)
    np.testing.assert_allclose(resp.sum(axis=0), engine.current.nk, rtol=1e-10)
    engine.m_step()
    # still those of the last E-step (the ones the M-step used)
    np.testing.assert_array_equal(engine.responsibilities, resp)
    engine.run(max_iter=5)  # fast path: recomputed on demand from the last E record
    last_e = [r for r in engine.history if r.phase == "E"][-1]
    np.testing.assert_allclose(engine.responsibilities,
                               last_e.params.responsibilities(X3), rtol=1e-12)


@pytest.mark.parametrize("cov_type", COV_TYPES)
def test_elbo_brackets_log_likelihood(cov_type):
    engine = EMEngine(X3, 3, covariance_type=cov_type, init="random", random_state=1,
                      reg_covar=0.0, tol=0.0)
    for _ in range(6):
        e = engine.e_step()
        m = engine.m_step()
        assert e.lower_bound == e.log_likelihood
        slack = 1e-9 * abs(m.log_likelihood)
        assert m.lower_bound <= m.log_likelihood + slack
        assert m.lower_bound >= e.log_likelihood - slack
        assert m.log_likelihood >= e.log_likelihood - slack


def test_run_n_iter_matches_sklearn_after_manual_steps():
    sk = SkGaussianMixture(3, random_state=7, init_params="random").fit(X3)
    engine = EMEngine(X3, 3, random_state=7, init="random")
    engine.step()
    engine.e_step()
    engine.run()
    assert engine.n_iter == sk.n_iter_
    np.testing.assert_allclose(engine.means, sk.means_, rtol=1e-7, atol=1e-9)


# ---------------------------------------------------------------------------------------
# Rewind


def _replay(engine, actions):
    for a in actions:
        {"E": engine.e_step, "M": engine.m_step, "S": engine.step}[a]()


def test_rewind_and_replay_reproduces_records():
    engine = EMEngine(X3, 3, covariance_type="full", init="random", random_state=2, tol=0)
    _replay(engine, "SSSESEM")
    original = engine.history
    for index in range(len(original)):
        engine.rewind(index)
        assert len(engine.history) == index + 1
        assert engine.current.phase == original[index].phase
        assert_params_equal(engine.current.params, original[index].params)
        assert engine.n_iter == original[index].n_iter
        assert engine.next_phase == ("M" if original[index].phase == "E" else "E")
        while len(engine.history) < len(original):
            (engine.m_step if engine.next_phase == "M" else engine.e_step)()
        for a, b in zip(original, engine.history):
            assert (a.phase, a.iteration) == (b.phase, b.iteration)
            assert_params_equal(a.params, b.params)
            assert a.log_likelihood == b.log_likelihood
            assert a.change == b.change
            assert a.converged == b.converged
            if a.nk is not None:
                np.testing.assert_array_equal(a.nk, b.nk)


def test_rewind_to_e_record_then_m_step():
    engine = EMEngine(X3, 3, covariance_type="tied", random_state=0, tol=0)
    _replay(engine, "SSS")
    original = engine.history
    engine.rewind(3)  # the E record of iteration 2
    assert engine.current.phase == "E"
    np.testing.assert_array_equal(
        engine.responsibilities, original[3].params.responsibilities(X3))
    record = engine.m_step()
    assert_params_equal(record.params, original[4].params)
    assert record.lower_bound == original[4].lower_bound
    engine.rewind(0)
    assert engine.responsibilities is None and engine.n_iter == 0


def test_rewind_after_run_and_negative_index():
    engine = EMEngine(X3, 3, random_state=4, init="random", tol=1e-8)
    engine.run(max_iter=6)
    original = engine.history
    engine.rewind(-3)  # the E record of the last iteration
    assert engine.current is original[-3]
    engine.run(max_iter=6)
    for a, b in zip(original, engine.history):
        assert_params_equal(a.params, b.params)
    assert len(engine.history) == len(original)


def test_rewind_restores_convergence_state():
    engine = EMEngine(X3, 3, random_state=0)
    engine.run()
    assert engine.converged
    engine.rewind(2)
    assert not engine.converged and engine.n_iter == 1
    engine.run()
    assert engine.converged


@pytest.mark.parametrize("bad", [99, -99, 1.0, True, "1"])
def test_rewind_bad_index(bad):
    engine = EMEngine(X3, 2, random_state=0)
    engine.step()
    with pytest.raises(ValueError, match="index"):
        engine.rewind(bad)


# ---------------------------------------------------------------------------------------
# Degenerate components


def test_collapsed_component_is_flagged():
    means = [[0.0, 0.0], [5.0, 5.0], [1e3, 1e3]]
    engine = EMEngine(X3, 3, means_init=means, random_state=0)
    engine.e_step()
    assert engine.current.nk[2] < 1e-3
    record = engine.m_step()
    assert record.collapsed == (2,)
    assert 2 in record.regularized  # its covariance is only reg_covar now
    assert np.isfinite(record.log_likelihood)


def test_collapse_without_reg_covar_raises():
    means = [[0.0, 0.0], [5.0, 5.0], [1e3, 1e3]]
    # the oracle: scikit-learn fails on the same empty component
    with pytest.raises(ValueError):
        SkGaussianMixture(3, means_init=means, random_state=0, reg_covar=0.0).fit(X3)
    engine = EMEngine(X3, 3, means_init=means, random_state=0, reg_covar=0.0)
    engine.e_step()
    with pytest.raises(ValueError, match="reg_covar"):
        engine.m_step()


def test_constant_component_is_regularized():
    rng = np.random.default_rng(0)
    X = np.vstack([np.full((20, 2), 10.0), rng.normal(size=(40, 2))])
    engine = EMEngine(X, 2, random_state=0)
    record = engine.step()
    constant = int(np.argmin(np.linalg.norm(record.means - 10.0, axis=1)))
    assert record.regularized == (constant,)
    assert record.collapsed == ()
    np.testing.assert_allclose(record.covariances[constant], 1e-6 * np.eye(2), rtol=1e-6)
    # reg_covar = 0: the k-means start puts a component on 20 identical points, an exactly
    # zero variance: scikit-learn fails there too.
    with pytest.raises(ValueError):
        SkGaussianMixture(2, random_state=0, reg_covar=0.0).fit(X)
    with pytest.raises(ValueError, match="reg_covar"):
        EMEngine(X, 2, random_state=0, reg_covar=0.0)


def test_one_component_on_constant_data():
    X = np.full((10, 2), 3.0)
    engine = EMEngine(X, 1)
    engine.run()
    np.testing.assert_allclose(engine.means, [[3.0, 3.0]])
    np.testing.assert_allclose(engine.covariances, [1e-6 * np.eye(2)], rtol=1e-9)
    assert engine.converged
    assert np.isfinite(engine.log_likelihood)
    assert engine.history[-1].regularized == (0,)


# ---------------------------------------------------------------------------------------
# Numerics


def test_variance_of_large_offset_data():
    rng = np.random.default_rng(0)
    X = 1e8 + 0.01 * rng.standard_normal(200)
    engine = EMEngine(X, 1, reg_covar=0.0)
    engine.run()
    np.testing.assert_allclose(engine.means[0, 0], X.mean(), rtol=1e-14)
    np.testing.assert_allclose(engine.covariances[0, 0, 0], np.var(X), rtol=1e-6)


def test_variance_of_two_values_far_apart():
    # scikit-learn #30382: cancellation in E[x^2] - E[x]^2
    X = np.array([[9999.0], [0.0], [9999.5], [0.5]])
    for cov_type in COV_TYPES:
        engine = EMEngine(X, 1, covariance_type=cov_type, reg_covar=0.0)
        engine.run()
        np.testing.assert_allclose(engine.params.full_covariances()[0, 0, 0], np.var(X),
                                   rtol=1e-12)


@pytest.mark.parametrize("cov_type", ["full", "diag"])
def test_two_tight_clusters_far_apart(cov_type):
    rng = np.random.default_rng(1)
    a = rng.normal([-1e6, 1e6], 1e-2, size=(50, 2))
    b = rng.normal([1e6, -1e6], 1e-2, size=(50, 2))
    X = np.vstack([a, b])
    # reg_covar=0 is refused here: the engine calls a variance <= 1e-12 * range**2 singular
    reg = 1e-10
    engine = EMEngine(X, 2, covariance_type=cov_type, reg_covar=reg, random_state=0)
    engine.run()
    covs = engine.params.full_covariances() - reg * np.eye(2)
    for cluster in (a, b):
        j = int(np.argmin(np.abs(engine.means[:, 0] - cluster[0, 0])))
        expected = np.cov(cluster.T, bias=True)
        if cov_type == "diag":
            np.testing.assert_allclose(np.diag(covs[j]), np.var(cluster, axis=0), rtol=1e-6)
        else:
            np.testing.assert_allclose(covs[j], expected, rtol=1e-6,
                                       atol=1e-6 * np.abs(expected).max())


def test_chunked_engine_equals_unchunked():
    a = EMEngine(X3, 3, random_state=0, chunk_size=7, tol=0)
    b = EMEngine(X3, 3, random_state=0, tol=0)
    for _ in range(3):
        ra, rb = a.step(), b.step()
        assert_params_close(ra.params, rb.params, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(a.responsibilities, b.responsibilities, rtol=1e-10,
                                   atol=1e-14)
        assert ra.log_likelihood == pytest.approx(rb.log_likelihood, rel=1e-12)


def test_estep_statistics_chunked():
    params = EMEngine(X3, 3, random_state=0).params
    r1, r2 = np.empty((len(X3), 3)), np.empty((len(X3), 3))
    s1 = estep(X3, params, responsibilities_out=r1)
    s2 = estep(X3, params, responsibilities_out=r2, chunk_size=7)
    assert s2.log_likelihood == pytest.approx(s1.log_likelihood, rel=1e-12)
    np.testing.assert_allclose(r1, r2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(s1.nk, s2.nk, rtol=1e-12)
    np.testing.assert_allclose(s1.scatter, s2.scatter, rtol=1e-10)


def test_one_dimensional_input():
    x = np.concatenate([np.random.default_rng(0).normal(0, 1, 50),
                        np.random.default_rng(1).normal(8, 1, 50)])
    engine = EMEngine(x, 2, random_state=0)
    assert engine.X.shape == (100, 1)
    engine.run()
    assert sorted(np.round(engine.means[:, 0])) == [0.0, 8.0]


def test_responsibilities_at_history_records():
    engine = EMEngine(X3, 3, random_state=0, init="random", tol=0)
    for _ in range(3):
        engine.step()
    history = engine.history
    assert engine.responsibilities_at(0) is None
    for r in history[1:]:
        e_index = r.index if r.phase == "E" else r.index - 1
        expected = history[e_index].params.responsibilities(X3)
        got = engine.responsibilities_at(r.index)
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-15)
        assert not got.flags.writeable
    # negative indices count from the end, as in rewind()
    np.testing.assert_array_equal(engine.responsibilities_at(-1),
                                  engine.responsibilities_at(len(history) - 1))
    for bad in (len(history), -len(history) - 1, 1.5):
        with pytest.raises(ValueError, match="index"):
            engine.responsibilities_at(bad)


# ---------------------------------------------------------------------------------------
# Public ways in: a given start, a deferred final log-likelihood


def test_from_parameters_continues_the_run():
    whole = EMEngine(X3, 3, random_state=0, tol=0)
    whole.run(max_iter=5)
    half = EMEngine(X3, 3, random_state=0, tol=0)
    half.run(max_iter=2)
    rest = EMEngine.from_parameters(X3, half.params, tol=0,
                                    previous_mean_log_likelihood=half.mean_log_likelihoods[-1])
    assert rest.history[0].phase == "init"
    assert_params_equal(rest.params, half.params)
    rest.run(max_iter=3)
    assert_params_equal(rest.params, whole.params)
    assert rest.history[1].change == pytest.approx(whole.history[5].change, rel=1e-12)


def test_start_must_match_the_engine():
    params = EMEngine(X3, 3, random_state=0).params
    with pytest.raises(ValueError, match="n_components, n_features, covariance_type.*match"):
        EMEngine(X3, 2, start=params)
    with pytest.raises(ValueError, match="n_components, n_features, covariance_type.*match"):
        EMEngine(X3, 3, covariance_type="diag", start=params)
    with pytest.raises(ValueError, match="MixtureParameters.from_covariances"):
        EMEngine(X3, 3, start={"means": params.means})


def test_run_without_finalize_defers_the_last_pass():
    engine = EMEngine(X3, 3, random_state=0, tol=0)
    assert engine.run(max_iter=3, finalize=False) is None  # the last M record is pending
    bounds = engine.mean_log_likelihoods
    assert len(bounds) == 3
    reference = EMEngine(X3, 3, random_state=0, tol=0)
    record = reference.run(max_iter=3)
    assert record.phase == "M" and record is reference.history[-1]
    assert bounds == tuple(r.mean_log_likelihood for r in reference.history if r.phase == "E")
    assert_params_equal(engine.params, reference.params)
    # reading the history computes what was deferred
    assert engine.history[-1].log_likelihood == record.log_likelihood
