"""lab_maths.criteria against scikit-learn, mclust's definitions and published values."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from sklearn.model_selection import KFold

from gmm_core import COVARIANCE_TYPES, MixtureParameters, datasets, n_parameters
from lab_maths import criteria as cr

FAITHFUL = datasets.load_faithful().X
WAITING = 1


def sk_fit(X, k, cov, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return SkGaussianMixture(k, covariance_type=cov, **kwargs).fit(X)


@pytest.fixture(scope="module")
def faithful_grid():
    return cr.fit_grid(FAITHFUL, n_components_range=(1, 2, 3), n_init=2, random_state=3)


def cell(table, k, cov):
    [row] = table[(table.n_components == k) & (table.covariance_type == cov)].index
    return table.loc[row]


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
@pytest.mark.parametrize("k", (1, 2, 3))
def test_bic_aic_equal_scikit_learn_run_to_its_maximum(faithful_grid, k, cov):
    # The grid's fits go on to the maximum (check_stop's fixed point: ≤ 0.01 of log L
    # left), so the oracle is scikit-learn from the same starts run to tol = 1e-10.
    sk = sk_fit(FAITHFUL, k, cov, n_init=2, random_state=3, tol=1e-10, max_iter=100_000)
    row = cell(faithful_grid.table, k, cov)
    assert row.at_maximum
    assert row.bic == pytest.approx(sk.bic(FAITHFUL), abs=0.03)
    assert row.aic == pytest.approx(sk.aic(FAITHFUL), abs=0.03)
    assert row.log_likelihood == pytest.approx(sk.score(FAITHFUL) * len(FAITHFUL), abs=0.015)
    assert row.n_parameters == sk._n_parameters()
    assert row.mclust == {"spherical": "VII", "diag": "VVI", "tied": "EEE", "full": "VVV"}[cov]


def test_published_old_faithful_vvv_two_components(faithful_grid):
    # data/README.md: log L -1130.264, 11 free parameters, BIC 2322.192 (independent of sklearn)
    row = cell(faithful_grid.table, 2, "full")
    assert row.log_likelihood == pytest.approx(-1130.264, abs=1e-3)
    assert row.n_parameters == 11
    assert row.bic == pytest.approx(2322.192, abs=1e-3)


def test_icl_is_mclusts_definition_in_scikit_learns_sign():
    grid = cr.fit_grid(FAITHFUL, n_components_range=(2, 3), n_init=2, random_state=3,
                       exact=False)  # the rule's fits: exactly scikit-learn's
    for k, cov in ((2, "full"), (3, "diag"), (3, "tied")):
        sk = sk_fit(FAITHFUL, k, cov, n_init=2, random_state=3)
        z = sk.predict_proba(FAITHFUL)
        C = np.zeros_like(z)
        C[np.arange(len(z)), z.argmax(axis=1)] = 1  # mclust's hard assignment matrix
        n, ll = len(FAITHFUL), sk.score(FAITHFUL) * len(FAITHFUL)
        bic_mclust = 2 * ll - sk._n_parameters() * np.log(n)  # higher is better there
        with np.errstate(divide="ignore"):
            icl_mclust = bic_mclust + 2 * np.sum(C * np.where(z > 0, np.log(z), 0))
        row = cell(grid.table, k, cov)
        assert row.bic == pytest.approx(sk.bic(FAITHFUL), rel=1e-7)
        assert row.icl == pytest.approx(-icl_mclust, rel=1e-6)
        assert row.icl > row.bic  # overlapping components: assignments are not all sure


def test_icl_equals_bic_for_one_component(faithful_grid):
    for cov in COVARIANCE_TYPES:
        row = cell(faithful_grid.table, 1, cov)
        assert row.icl == row.bic and row.entropy == 0.0


def test_assignment_entropy_by_hand():
    resp = np.array([[1.0, 0.0], [0.5, 0.5], [0.2, 0.8]])
    assert cr.assignment_entropy(resp) == pytest.approx(-np.log(0.5) - np.log(0.8))
    assert cr.icl(10.0, resp) == pytest.approx(10.0 + 2 * (np.log(2) - np.log(0.8)))


def test_old_faithful_diag_five_spike_is_flagged_and_not_crowned():
    """Issue 10: diag, K = 5, tol = 1e-6, 20 starts (from random data points, seed 0):
    one component sits on the 14 eruptions whose waiting time is exactly 83 minutes."""
    options = dict(tol=1e-6, n_init=20, init_params="random_from_data", random_state=0)
    sk = sk_fit(FAITHFUL, 5, "diag", **options)
    # The expectation, from scikit-learn's fit and the data alone:
    on_83 = FAITHFUL[:, WAITING] == 83
    spike = int(np.argmin(np.abs(sk.means_[:, WAITING] - 83)))
    assert on_83.sum() == 14
    assert sk.means_[spike, WAITING] == pytest.approx(83, abs=1e-9)
    assert sk.weights_[spike] * len(FAITHFUL) == pytest.approx(14, abs=0.1)
    assert sk.covariances_[spike, WAITING] == pytest.approx(1e-6, rel=1e-3)  # = reg_covar
    assert sk.covariances_[spike, WAITING] / FAITHFUL[:, WAITING].var() < 1e-5
    assert sk.bic(FAITHFUL) < 2322.192 - 50  # "beats" the published honest VVV, K = 2

    grid = cr.fit_grid(FAITHFUL, n_components_range=(2, 5), covariance_types=("full", "diag"),
                       exact=False, **options)  # the rule's fit: scikit-learn's
    table = grid.table
    row = cell(table, 5, "diag")
    assert row.bic == pytest.approx(sk.bic(FAITHFUL), rel=1e-7)
    assert row.degenerate and f"component {spike + 1} " in row.reason
    assert not cell(table, 2, "full").degenerate
    best = cr.best_row(table, "bic")
    assert tuple(table.loc[best, ["n_components", "covariance_type"]]) == (2, "full")
    winner = cr.best_row(table, "bic", include_degenerate=True)
    assert tuple(table.loc[winner, ["n_components", "covariance_type"]]) == (5, "diag")
    # run to the maximum (the page's grid), the spike is still flagged and not crowned
    exact = cr.fit_grid(FAITHFUL, n_components_range=(2, 5),
                        covariance_types=("full", "diag"), **options).table
    assert cell(exact, 5, "diag").degenerate
    best = cr.best_row(exact, "bic")
    assert tuple(exact.loc[best, ["n_components", "covariance_type"]]) == (2, "full")


def test_exact_grid_holds_the_published_maxima():
    """data/README.md (mclust, independent of scikit-learn): Old Faithful VVV K = 2
    log L = −1130.264, BIC 2322.192; iris (4 features) K = 2 log L by covariance type."""
    table = cr.fit_grid(FAITHFUL, n_components_range=(2,), covariance_types=("full",),
                        tol=1e-1).table  # a loose rule: the grid still ends at the maximum
    row = cell(table, 2, "full")
    assert row.at_maximum and row.extra_iterations > 0
    assert row.log_likelihood == pytest.approx(-1130.264, abs=1e-3)
    assert row.bic == pytest.approx(2322.192, abs=1e-3)
    iris = datasets.load_iris_features(datasets.IRIS_FEATURES).X
    published = {"spherical": -478.5591, "diag": -386.1853, "tied": -296.4476,
                 "full": -214.3547}
    table = cr.fit_grid(iris, n_components_range=(2,), n_init=5, random_state=0,
                        tol=1e-1).table
    for cov, log_l in published.items():
        assert cell(table, 2, cov).log_likelihood == pytest.approx(log_l, abs=2e-3), cov


def test_too_few_points_for_a_component_is_flagged():
    X = np.random.default_rng(0).normal(size=(50, 2))
    params = MixtureParameters.from_covariances(
        [0.98, 0.02], [[0, 0], [3, 3]], [np.eye(2), np.eye(2) * 0.5], "full")
    flag = cr.degeneracy(params, X, nk=[49.0, 1.0])
    assert flag.degenerate and "N_z = 1 < d + 1 = 3" in flag.reasons[0]
    assert not cr.degeneracy(params, X, nk=[45.0, 5.0]).degenerate


def test_honest_thin_cluster_is_not_flagged():
    # The article's stretched half is 1e-4 as wide as the whole data in its thin direction.
    X = datasets.make_article_example().X
    sk = sk_fit(X, 2, "full", random_state=0)
    params = MixtureParameters(sk.weights_, sk.means_, sk.covariances_,
                               sk.precisions_cholesky_, "full")
    flag = cr.degeneracy(params, X, sk.predict_proba(X).sum(axis=0))
    assert not flag.degenerate
    assert flag.ratios.min() < 1e-3


def test_failed_cells_say_why_in_plain_words():
    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
    table = cr.fit_grid(X, n_components_range=(1, 3, 6), reg_covar=0.0).table
    too_many = table[table.n_components == 6]
    assert too_many.bic.isna().all()
    assert (too_many.error == "K = 6 is more than the 5 data points: no fit.").all()
    collapsed = table[(table.n_components == 3) & table.bic.isna()]
    assert len(collapsed) > 0 and all("reg_covar" in e for e in collapsed.error)
    assert table[table.n_components == 1].bic.notna().all()


def test_progress_is_reported_for_every_fit():
    seen = []
    cr.fit_grid(FAITHFUL, n_components_range=(1, 2), progress=lambda d, t, w: seen.append((d, t)))
    assert seen == [(i, 8) for i in range(1, 9)]


def test_covariance_type_summary(faithful_grid):
    summary = cr.covariance_type_summary(faithful_grid.table, 2, len(FAITHFUL))
    for cov in COVARIANCE_TYPES:
        p = n_parameters(2, 2, cov)
        assert summary.loc[cov, "free parameters"] == p
        assert summary.loc[cov, "BIC penalty p·log n"] == pytest.approx(p * np.log(272))
        assert summary.loc[cov, "BIC"] == pytest.approx(
            -2 * summary.loc[cov, "log-likelihood"] + p * np.log(272))
    assert summary.loc["full", "free parameters"] == 11  # published


@pytest.mark.parametrize("method", ("kfold", "split"))
def test_cross_validation_curve_matches_scikit_learn_folds(method):
    X = datasets.make_overlapping_blobs(300, seed=1).X
    curve = cr.cross_validation_curve(X, (1, 2, 3), "full", method=method, n_splits=4,
                                      test_size=0.25, random_state=5)
    if method == "kfold":
        splits = list(KFold(4, shuffle=True, random_state=5).split(X))
    else:
        from sklearn.model_selection import ShuffleSplit
        splits = list(ShuffleSplit(1, test_size=0.25, random_state=5).split(X))
    for k in (1, 2, 3):
        models = [sk_fit(X[tr], k, "full", random_state=5) for tr, _ in splits]
        row = curve[curve.n_components == k].iloc[0]
        assert row.train == pytest.approx(np.mean([m.score(X[tr]) for m, (tr, _) in
                                                   zip(models, splits)]), rel=1e-7)
        assert row.validation == pytest.approx(np.mean([m.score(X[va]) for m, (_, va) in
                                                        zip(models, splits)]), rel=1e-7)
        assert row.n_folds == len(splits)


def test_training_rises_validation_peaks_on_three_separated_blobs():
    X = datasets.make_separated_blobs(600, seed=0).X  # three unit Gaussians, far apart
    curve = cr.cross_validation_curve(X, range(1, 9), "full", n_splits=5, random_state=0)
    assert curve.train.iloc[-1] > curve.train.iloc[2] > curve.train.iloc[0]
    assert int(curve.loc[curve.validation.idxmax(), "n_components"]) == 3
    assert curve.validation.iloc[-1] < curve.validation.iloc[2]


def test_cross_validation_rejects_an_unknown_scheme():
    with pytest.raises(ValueError, match="kfold"):
        cr.cross_validation_curve(FAITHFUL, (1,), method="loo")


def test_dirichlet_process_fit_is_scikit_learns_and_counts_effective_k():
    X = datasets.make_separated_blobs(600, seed=0).X
    fit = cr.dirichlet_process_fit(X, 0.01, random_state=0)
    sk = BayesianGaussianMixture(n_components=10, weight_concentration_prior=0.01,
                                 weight_concentration_prior_type="dirichlet_process",
                                 max_iter=500, random_state=0).fit(X)
    np.testing.assert_allclose(fit.weights, sk.weights_, rtol=1e-6)
    assert fit.effective_k == int(np.sum(sk.weights_ >= 0.01)) == 3  # three true clusters
    assert fit.params.n_components == 10


def test_active_components_keep_the_heavy_ones():
    X = datasets.make_separated_blobs(600, seed=0).X
    fit = cr.dirichlet_process_fit(X, 0.01, random_state=0, covariance_type="diag")
    active = cr.active_components(fit.params)
    heavy = fit.weights >= 0.01
    assert active.n_components == heavy.sum()
    np.testing.assert_array_equal(active.means, fit.params.means[heavy])
    np.testing.assert_array_equal(active.covariances, fit.params.covariances[heavy])


@pytest.mark.parametrize("cov", COVARIANCE_TYPES)
def test_exact_grid_bic_equals_plain_em_run_to_tol_1e_10(cov):
    """Issue 20's oracle: the grid's maximum (SQUAREM, then plain EM to |Δ| < 1e-8) is the
    one scikit-learn's plain EM reaches from the same start with tol = 1e-10, to 1e-6 of
    BIC. (On "Overlapping blobs" with 1,000 points, K = 7…10, SQUAREM's extrapolations end
    on another maximum in 5 of those 16 cells: README, Model selection.)"""
    X = datasets.make_overlapping_blobs(1000, seed=0).X
    table = cr.fit_grid(X, n_components_range=(2, 3, 4), covariance_types=(cov,)).table
    for k in (2, 3, 4):
        sk = sk_fit(X, k, cov, random_state=0, tol=1e-10, max_iter=100_000)
        row = cell(table, k, cov)
        assert row.at_maximum
        assert row.bic == pytest.approx(sk.bic(X), rel=1e-6)
