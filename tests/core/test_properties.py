"""Hypothesis properties of EM: monotone likelihood, normalised weights and responsibilities,
positive-definite covariances, reproducible rewind."""

import numpy as np
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from gmm_core import EMEngine
from tests.helpers import COV_TYPES

SETTINGS = settings(max_examples=25, deadline=None)


@st.composite
def blob_data(draw):
    """2-D data: 1 to 4 Gaussian blobs of 10 to 40 points (n >= 30), and K in 1..4."""
    seed = draw(st.integers(0, 2**32 - 1))
    n_blobs = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(10, 40), min_size=n_blobs, max_size=n_blobs))
    if sum(sizes) < 30:
        sizes[0] += 30 - sum(sizes)
    rng = np.random.default_rng(seed)
    parts = []
    for size in sizes:
        centre = rng.uniform(-10, 10, size=2)
        a = rng.normal(size=(2, 2))
        cov = a @ a.T + 0.1 * np.eye(2)
        parts.append(rng.multivariate_normal(centre, cov, size=size))
    X = np.vstack(parts)
    k = draw(st.integers(1, 4))
    return X, k, seed


@SETTINGS
@given(data=blob_data(), cov_type=st.sampled_from(COV_TYPES),
       init=st.sampled_from(("kmeans", "random")))
def test_log_likelihood_never_decreases(data, cov_type, init):
    X, k, seed = data
    try:
        engine = EMEngine(X, k, covariance_type=cov_type, init=init, random_state=seed,
                          reg_covar=0.0, tol=0.0)
    except ValueError as exc:  # K-means left an outlier alone: degenerate start, not EM's fault
        assert "reg_covar" in str(exc)
        reject()
    previous = -np.inf
    for _ in range(15):
        engine.e_step()
        try:
            record = engine.m_step()
        except ValueError as exc:  # a component collapsed (documented with reg_covar=0)
            assert "reg_covar" in str(exc)
            break
        slack = 1e-9 * abs(record.log_likelihood)
        assert record.log_likelihood >= previous - slack
        # the ELBO the M-step maximised sits between the old and the new log-likelihood
        assert record.lower_bound >= engine.history[-2].log_likelihood - slack
        assert record.lower_bound <= record.log_likelihood + slack
        previous = record.log_likelihood


@SETTINGS
@given(data=blob_data(), cov_type=st.sampled_from(COV_TYPES),
       init=st.sampled_from(("kmeans", "k-means++", "random", "random_from_data")),
       n_steps=st.integers(1, 6))
def test_normalised_and_positive_definite(data, cov_type, init, n_steps):
    X, k, seed = data
    engine = EMEngine(X, k, covariance_type=cov_type, init=init, random_state=seed)
    for _ in range(n_steps):
        engine.e_step()
        resp = engine.responsibilities
        assert resp.shape == (len(X), k)
        assert (resp >= 0).all()
        np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-12)
        record = engine.m_step()
        np.testing.assert_allclose(record.weights.sum(), 1.0, rtol=1e-12)
        assert (record.weights > 0).all()
        covs = record.params.full_covariances()
        assert np.linalg.eigvalsh(covs).min() > 0
        np.testing.assert_allclose(covs, np.swapaxes(covs, 1, 2), rtol=1e-12, atol=1e-14)
        precisions = record.params.precisions
        if cov_type in ("full", "tied"):
            eye = np.broadcast_to(np.eye(2), covs.shape)
            np.testing.assert_allclose(covs @ precisions, eye, atol=1e-6)
        else:
            np.testing.assert_allclose(record.covariances * precisions, 1.0, rtol=1e-9)


@SETTINGS
@given(data=blob_data(), cov_type=st.sampled_from(COV_TYPES),
       actions=st.lists(st.sampled_from("EMS"), min_size=1, max_size=10),
       where=st.floats(0, 1))
def test_rewind_and_replay_reproduce_states(data, cov_type, actions, where):
    X, k, seed = data
    engine = EMEngine(X, k, covariance_type=cov_type, random_state=seed, tol=0.0)
    for a in actions:  # a valid sequence of half-steps from the drawn letters
        if a == "S" or engine.next_phase == a:
            {"E": engine.e_step, "M": engine.m_step, "S": engine.step}[a]()
    original = engine.history
    index = int(where * (len(original) - 1))
    engine.rewind(index)
    while len(engine.history) < len(original):
        (engine.m_step if engine.next_phase == "M" else engine.e_step)()
    for a, b in zip(original, engine.history):
        assert (a.phase, a.iteration, a.converged) == (b.phase, b.iteration, b.converged)
        for name in ("weights", "means", "covariances", "precisions_cholesky"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
        assert a.log_likelihood == b.log_likelihood
