"""Independent oracles for the Lesson's predict stops: scikit-learn from the same starts,
SciPy densities, NumPy. Nothing here calls the page's code or lab_maths.lesson_questions; the
data are drawn again from their documented recipes (or taken from gmm_core.datasets, the
input both sides share)."""

from __future__ import annotations

import warnings
from functools import cache

import numpy as np
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from gmm_core.datasets import make_article_example, make_cigars, make_unequal_sizes
from lab_maths.lesson import START, lesson_data

COV_TYPES = ("spherical", "diag", "tied", "full")


def _start_fit(max_iter: int, tol: float) -> GaussianMixture:
    x = lesson_data().reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(2, covariance_type="spherical", weights_init=START.weights,
                               means_init=np.reshape(START.means, (-1, 1)),
                               precisions_init=1 / np.asarray(START.variances),
                               reg_covar=0.0, tol=tol, max_iter=max_iter).fit(x)


def iterate_log_likelihood(iterations: int) -> float:
    """log p(x | λ_t) after ``iterations`` EM iterations from START (scikit-learn, tol 0)."""
    x = lesson_data().reshape(-1, 1)
    return float(_start_fit(iterations, 0.0).score(x) * len(x))


def iterate_n_iter(tol: float) -> int:
    """Iterations scikit-learn runs from START under its rule (mean log L change < tol)."""
    return int(_start_fit(1000, tol).n_iter_)


@cache
def three_modes() -> np.ndarray:
    """Stop 7's data, drawn independently: z ~ π, x ~ N(μ_z, σ_z²) with NumPy."""
    rng = np.random.default_rng(5)
    w, m, v = (0.4, 0.3, 0.3), np.array([-3.0, 0.5, 3.5]), np.array([0.5, 0.3, 0.6])
    z = rng.choice(3, size=300, p=w)
    return rng.normal(m[z], np.sqrt(v)[z]).reshape(-1, 1)


INIT_SEEDS = (6, 0, 1)


@cache
def init_fits() -> tuple:
    X = three_modes()
    return tuple(GaussianMixture(3, init_params="random_from_data", random_state=s,
                                 max_iter=500).fit(X) for s in INIT_SEEDS)


def init_finals() -> list[float]:
    X = three_modes()
    return [gm.score(X) * len(X) for gm in init_fits()]


@cache
def modes(separation: float) -> np.ndarray:
    rng = np.random.default_rng(8)
    z = rng.choice(3, 240)
    return rng.normal(np.array([-separation, 0.0, separation])[z], 1.0).reshape(-1, 1)


@cache
def k_criteria(separation: float):
    """(BIC, AIC, log L) for K = 1..6: best of 5 k-means starts, tol 10⁻⁶."""
    X = modes(separation)
    fits = [GaussianMixture(k, random_state=0, n_init=5, tol=1e-6, max_iter=2000).fit(X)
            for k in range(1, 7)]
    return ([f.bic(X) for f in fits], [f.aic(X) for f in fits],
            [f.score(X) * len(X) for f in fits])


COV_DATA = {"Round blobs of different sizes": (lambda: make_unequal_sizes(400, seed=0).X, 3),
            "Parallel cigars": (lambda: make_cigars(400, seed=0).X, 3),
            "One round, one stretched": (lambda: make_article_example(400, seed=0).X, 2)}


@cache
def cov_bics(name: str) -> list[float]:
    make, k = COV_DATA[name]
    X = make()
    return [GaussianMixture(k, covariance_type=t, random_state=0).fit(X).bic(X)
            for t in COV_TYPES]


def n_parameters(k: int, d: int, kind: str) -> int:
    """Free parameters, written out: covariances + K·d means + K − 1 weights."""
    cov = {"spherical": k, "diag": k * d, "tied": d * (d + 1) // 2,
           "full": k * d * (d + 1) // 2}[kind]
    return cov + k * d + k - 1


def collapse_log_likelihood(sigma: float, reg_covar: float = 0.0) -> float:
    """The two true components (weights × 2/3) plus a third (1/3) on the lesson data's first
    point with variance σ² + reg_covar: log L with SciPy's log-density, log-sum-exp."""
    x = lesson_data()
    w = (0.6 * 2 / 3, 0.4 * 2 / 3, 1 / 3)
    m = (-2.0, 2.0, x[0])
    v = (0.64, 1.44, sigma ** 2 + reg_covar)
    logs = np.array([np.log(wi) + norm.logpdf(x, mi, np.sqrt(vi)) for wi, mi, vi in
                     zip(w, m, v)])
    top = logs.max(axis=0)
    return float((top + np.log(np.exp(logs - top).sum(axis=0))).sum())


def collapse_answer() -> int:
    """2 ("climbs without bound") when each hundredfold shrink of σ still adds ≈ ln 100."""
    ll = [collapse_log_likelihood(s) for s in (1e-4, 1e-6, 1e-8)]
    gain = ll[2] - ll[1]
    return 2 if gain > 0.9 * np.log(100) else 1 if gain > -1 else 0
