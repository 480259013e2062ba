"""lab_maths.lesson against independent oracles: SciPy's normal density, NumPy's weighted
averages and scikit-learn's EM."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.mixture import GaussianMixture

from lab_maths import lesson as lm


@pytest.mark.parametrize("mu, sigma, x", [(0, 1, 0.3), (-2.5, 0.4, -2.0), (1.7, 2.9, -5.5)])
def test_gaussian_density_is_scipys(mu, sigma, x):
    assert lm.gaussian_pdf(x, mu, sigma) == pytest.approx(norm.pdf(x, mu, sigma), rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_mass_within_n_sigma_is_scipys(n):
    assert lm.mass_within(n) == pytest.approx(norm.cdf(n) - norm.cdf(-n), rel=1e-12)


def test_mixture_terms_are_weighted_scipy_densities():
    mix = lm.Mixture1D((0.2, 0.5, 0.3), (-1.0, 0.5, 3.0), (0.25, 1.0, 4.0))
    x = 0.7
    expected = [p * norm.pdf(x, m, np.sqrt(v)) for p, m, v in
                zip(mix.weights, mix.means, mix.variances)]
    np.testing.assert_allclose(lm.mixture_terms(x, mix), expected, rtol=1e-12)


@pytest.mark.parametrize("weights, i, value", [((0.5, 0.5), 0, 0.8), ((0.2, 0.3, 0.5), 1, 0.9),
                                               ((1.0, 0.0, 0.0), 0, 0.4), ((0.3, 0.7), 1, 7)])
def test_rebalance_keeps_the_sum_one_and_the_ratios(weights, i, value):
    w = lm.rebalance(weights, i, value)
    assert sum(w) == pytest.approx(1.0)
    assert w[i] == min(value, 1.0)
    others = [j for j in range(len(w)) if j != i]
    if len(others) == 2 and sum(weights[j] for j in others) > 0:  # ratios kept
        a, b = others
        assert w[a] * weights[b] == pytest.approx(w[b] * weights[a])


def test_e_step_is_the_articles_formula_with_scipy():
    x = lm.lesson_data()
    gamma, ll = lm.e_step(x, lm.START)
    joint = np.column_stack([p * norm.pdf(x, m, np.sqrt(v)) for p, m, v in
                             zip(lm.START.weights, lm.START.means, lm.START.variances)])
    np.testing.assert_allclose(gamma, joint / joint.sum(axis=1, keepdims=True), rtol=1e-10)
    assert ll == pytest.approx(np.log(joint.sum(axis=1)).sum(), rel=1e-12)


def test_m_step_is_the_articles_formulas_with_numpy():
    x = lm.lesson_data()
    gamma, _ = lm.e_step(x, lm.START)
    new = lm.m_step(x, gamma)
    for z in range(2):
        g = gamma[:, z]
        mu = np.average(x, weights=g)
        assert new.n_z[z] == pytest.approx(g.sum())
        assert new.mixture.means[z] == pytest.approx(mu)
        assert new.mixture.variances[z] == pytest.approx(np.average((x - mu) ** 2, weights=g))
        assert new.mixture.weights[z] == pytest.approx(g.sum() / len(x))


@pytest.mark.parametrize("tol", [1e-1, 1e-3, 1e-6])
def test_iterate_run_is_sklearns_from_the_same_start_with_its_rule(tol):
    """Stop 6's run: the engine stepped E, M, … under the rule on the MEAN log-likelihood per
    point, as scikit-learn: the same iterations, the same final λ (to 1e-9), never falling,
    each M-step's lower bound under the log-likelihood it reaches."""
    from lab_maths.lesson_questions import iterate_run

    x = lm.lesson_data().reshape(-1, 1)
    run = iterate_run(tol)
    s = lm.START
    gm = GaussianMixture(2, covariance_type="spherical", weights_init=s.weights,
                         means_init=np.reshape(s.means, (-1, 1)),
                         precisions_init=1 / np.asarray(s.variances), reg_covar=0.0,
                         tol=tol, max_iter=1000).fit(x)
    assert run.converged and run.n_iter == gm.n_iter_
    np.testing.assert_allclose(run.mixtures[-1].means, gm.means_[:, 0], rtol=1e-9)
    np.testing.assert_allclose(run.mixtures[-1].variances, gm.covariances_, rtol=1e-9)
    lls = np.array(run.log_likelihoods)
    assert np.all(np.diff(lls) >= -1e-9)
    assert all(b <= ll + 1e-9 for b, ll in zip(run.bounds[1:], lls[1:]))
    fired = abs(lls[-2] - lls[-3]) / len(x)  # λ_{n-1} vs λ_{n-2}, at the last E-step
    assert fired < tol and run.changes[-2] == pytest.approx(fired)
    assert np.all(np.abs(np.diff(lls[:-2])) / len(x) >= tol)  # no earlier E-step fired


def test_singular_component_sends_the_likelihood_up_without_bound():
    from lab_maths.lesson_questions import collapse_log_likelihood

    x = lm.lesson_data()
    sigmas = [1.0, 1e-2, 1e-4, 1e-20, 1e-30]
    ll = [collapse_log_likelihood(s) for s in sigmas]
    # oracle: the same sum with scipy, 3 components of weight π_z·2/3 and 1/3
    for s, got in zip(sigmas, ll):
        dens = sum(p * 2 / 3 * norm.pdf(x, m, np.sqrt(v)) for p, m, v in
                   zip(lm.TRUE_MIXTURE.weights, lm.TRUE_MIXTURE.means,
                       lm.TRUE_MIXTURE.variances)) + norm.pdf(x, x[0], s) / 3
        assert got == pytest.approx(np.log(dens).sum())
    assert np.all(np.diff(ll[1:]) > 0) and ll[-1] > ll[0] + 10
    # in the end only log(1/σ) grows: 10 decades of σ add 10·ln 10
    assert ll[-1] - ll[-2] == pytest.approx(10 * np.log(10), rel=1e-6)
    # reg_covar added to σ² stops it: never above the σ = 1 value
    assert collapse_log_likelihood(1e-30, 1e-4) < collapse_log_likelihood(1.0, 1e-4)


def test_latent_draws_follow_pi():
    z, x = lm.sample_latent(lm.TRUE_MIXTURE, 20000, seed=1)
    assert np.mean(z == 0) == pytest.approx(0.6, abs=0.02)
    assert np.mean(x[z == 1]) == pytest.approx(2.0, abs=0.05)


@pytest.mark.parametrize("seed, n", [(3, 60), (11, 1000)])
def test_draw_latent_is_numpys_choice_then_normal(seed, n):
    mix = lm.TRUE_MIXTURE
    rng = np.random.default_rng(seed)
    z = rng.choice(mix.k, size=n, p=np.asarray(mix.weights))
    x = rng.normal(np.asarray(mix.means)[z], np.sqrt(np.asarray(mix.variances))[z])
    u, z2, x2 = lm.draw_latent(mix, n, seed)
    np.testing.assert_array_equal(z2, z)
    np.testing.assert_array_equal(x2, x)
    np.testing.assert_array_equal(z2, (u >= mix.weights[0]).astype(int))  # z = 2 iff u ≥ π₁
