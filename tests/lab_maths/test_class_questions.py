"""Class mode's questions: every truth checked against an independent computation
(scipy.stats densities written out, scikit-learn's GaussianMixture from the same start)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats
from sklearn.mixture import GaussianMixture as SkGaussianMixture

from lab_maths import class_questions as cq
from lab_maths.questions import FULL_SCORE, Question


def spherical_gamma(X, context):
    """γ (n, K) of a spherical mixture from scipy.stats: π_z N(x | μ_z, σ_z² I), normalised."""
    dens = np.column_stack([
        w * stats.multivariate_normal(np.atleast_1d(m), v * np.eye(X.shape[1])).pdf(X)
        for w, m, v in zip(context["weights"], context["means"], context["variances"])])
    return dens / dens.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("key", list(cq.MENU))
def test_every_question_travels_as_json_and_its_truth_scores_full(key):
    q = cq.build(key)
    again = Question.from_dict(json.loads(json.dumps(q.to_dict())))
    assert again == q
    assert q.score(q.truth) == FULL_SCORE
    assert cq.question_data(q).ndim == 2


@pytest.mark.parametrize("key", ["lesson_means", "means_2d"])
def test_the_means_move_to_the_gamma_weighted_averages(key):
    q = cq.build(key)
    X = cq.question_data(q)
    gamma = spherical_gamma(X, q.context)
    expected = (gamma.T @ X) / gamma.sum(axis=0)[:, None]
    assert np.allclose(q.truth, expected.ravel(), atol=1e-9)
    # and the question is worth asking: each mean moves visibly from its start
    assert np.abs(expected - np.asarray(q.context["means"])).max() > 0.5


@pytest.mark.parametrize("key", ["lesson_gamma", "gamma_2d"])
def test_gamma_of_the_point_is_its_posterior(key):
    q = cq.build(key)
    X = cq.question_data(q)
    i = q.context["point"]
    assert q.truth[0] == pytest.approx(spherical_gamma(X, q.context)[i, 0], abs=1e-12)
    assert 0.05 < q.truth[0] < 0.95  # not a give-away


def test_the_lesson_stops_match_the_lesson_maths():
    from lab_maths import lesson as lm

    x = lm.lesson_data()
    gamma, _ = lm.e_step(x, lm.START)
    assert np.allclose(cq.build("lesson_means").truth, lm.m_step(x, gamma).mixture.means)
    q = cq.build("lesson_gamma")
    assert q.truth[0] == pytest.approx(gamma[q.context["point"], 0])
    assert x[q.context["point"]] == np.sort(x)[23]  # the Lesson's default point (rank 24)


def test_the_best_start_is_the_one_scikit_learn_ends_highest_from():
    q = cq.build("best_start")
    X = cq.question_data(q)
    finals = []
    for init, seed in cq.STARTS:
        sk = SkGaussianMixture(q.context["k"], covariance_type="full", init_params=init,
                               random_state=seed, tol=1e-3, max_iter=500).fit(X)
        finals.append(sk.score(X) * len(X))
    assert np.allclose(finals, q.context["final_log_likelihoods"], rtol=1e-6)
    assert q.truth == (float(np.argmax(finals)),)


@pytest.mark.parametrize("key, types, ks", [
    ("bic_k", ("full",), range(1, 6)),
    ("bic_model", ("full", "diag", "spherical", "tied"), range(1, 5)),
])
def test_bic_chooses_what_scikit_learn_s_bic_chooses(key, types, ks):
    q = cq.build(key)
    X = cq.question_data(q)
    cells = [(k, c) for k in ks for c in types]
    # Model selection's criteria are read at the maximum (issue 20): scikit-learn from the
    # same start, run on until the mean log-likelihood changes by less than 1e-10.
    bics = [SkGaussianMixture(k, covariance_type=c, random_state=0, tol=1e-10,
                              max_iter=100_000).fit(X).bic(X)
            for k, c in cells]
    assert np.allclose(bics, q.context["bic"], rtol=1e-6)
    k, c = cells[int(np.argmin(bics))]
    assert q.choices[int(q.truth[0])].startswith(f"K = {k}")
    assert len(types) == 1 or q.choices[int(q.truth[0])].endswith(c)


def test_the_anomaly_question_follows_scikit_learn_s_density():
    q = cq.build("anomaly")
    X = cq.question_data(q)
    log_p = SkGaussianMixture(2, covariance_type="full", random_state=0).fit(X).score_samples(X)
    t = np.percentile(log_p, 5)
    assert q.context["threshold"] == pytest.approx(t, rel=1e-6)
    i = q.context["point"]
    assert q.choices[int(q.truth[0])].startswith("Yes" if log_p[i] < t else "No")
