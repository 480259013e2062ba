"""What a fitted Gaussian mixture is used for: clustering and density estimation.

Pure NumPy/SciPy/scikit-learn (no Streamlit or Plotly). Anomaly detection is in
:mod:`lab_maths.anomaly`, PCA and projected covariances in :mod:`lab_maths.projection`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp
from sklearn.cluster import KMeans

from gmm_core import GaussianMixture, MixtureParameters
from gmm_core.datasets import Dataset

#: A point whose largest responsibility is below this is "split" between components.
SPLIT_THRESHOLD = 0.8


def check_data(X, n_components: int, feature_names=None) -> np.ndarray:
    """``X`` as a float array, or ValueError in plain words when no mixture can be fitted."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] < 1:
        raise ValueError("The data need at least one column of numbers.")
    names = list(feature_names or [f"column {j + 1}" for j in range(X.shape[1])])
    if not np.isfinite(X).all():
        raise ValueError("The data contain missing or infinite values.")
    if len(X) < 2:
        raise ValueError(f"Only {len(X)} row(s) of data: at least 2 are needed.")
    if n_components > len(X):
        raise ValueError(f"K = {n_components} components need at least {n_components} "
                         f"points, but the data have only {len(X)}. Lower K.")
    constant = [names[j] for j in np.flatnonzero(np.ptp(X, axis=0) == 0)]
    if constant:
        raise ValueError(f"Column(s) {', '.join(map(str, constant))} are constant (every "
                         "value the same): a Gaussian needs some spread in every column.")
    return X


def fit_mixture(X, n_components, covariance_type="full", *, random_state=0, reg_covar=1e-6,
                tol=1e-3, max_iter=100, init_params="kmeans", n_init=1) -> GaussianMixture:
    """A :class:`gmm_core.GaussianMixture` fitted to ``X`` (after :func:`check_data`)."""
    X = check_data(X, n_components)
    return GaussianMixture(n_components, covariance_type=covariance_type, tol=tol,
                           reg_covar=reg_covar, max_iter=max_iter, init_params=init_params,
                           n_init=n_init, random_state=random_state).fit(X)


def mixture_parameters(model: GaussianMixture) -> MixtureParameters:
    """A fitted model's parameters (``full_covariances()`` gives (K, d, d) for any type)."""
    return MixtureParameters(model.weights_, model.means_, model.covariances_,
                             model.precisions_cholesky_, model.covariance_type)


# ------------------------------------------------------------------------------------------
# Clustering


def adjusted_rand_index(labels_true, labels_pred) -> float:
    """Hubert & Arabie's adjusted Rand index from the contingency table (1 = same partition,
    about 0 = no better than chance)."""
    _, a = np.unique(labels_true, return_inverse=True)
    _, b = np.unique(labels_pred, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(counts):
        return float((counts * (counts - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = len(a) * (len(a) - 1) / 2
    expected = rows * cols / total if total else 0.0
    top = (rows + cols) / 2
    if top == expected:  # both partitions trivial (one cluster, or all singletons)
        return 1.0
    return (index - expected) / (top - expected)


@dataclass(frozen=True, eq=False)
class ClusteringResult:
    model: GaussianMixture
    responsibilities: np.ndarray  # γ, shape (n, K)
    gmm_labels: np.ndarray
    kmeans_labels: np.ndarray
    kmeans_centers: np.ndarray
    ari_gmm: float | None
    ari_kmeans: float | None

    @property
    def max_gamma(self) -> np.ndarray:
        return self.responsibilities.max(axis=1)

    @property
    def uncertainty(self) -> np.ndarray:
        """1 − max_z γ_zi for each point."""
        return 1.0 - self.max_gamma

    @property
    def split(self) -> np.ndarray:
        """Points whose largest responsibility is below :data:`SPLIT_THRESHOLD`."""
        return self.max_gamma < SPLIT_THRESHOLD


def compare_clusterings(X, n_components, covariance_type="full", *, labels=None,
                        random_state=0, **fit_kwargs) -> ClusteringResult:
    """A GMM's soft clustering and scikit-learn's ``KMeans`` on the same data and K."""
    model = fit_mixture(X, n_components, covariance_type, random_state=random_state,
                        **fit_kwargs)
    gamma = model.predict_proba(X)
    kmeans = KMeans(n_clusters=n_components, n_init=10, random_state=random_state).fit(X)
    gmm_labels = gamma.argmax(axis=1)
    has = labels is not None
    return ClusteringResult(
        model, gamma, gmm_labels, kmeans.labels_, kmeans.cluster_centers_,
        adjusted_rand_index(labels, gmm_labels) if has else None,
        adjusted_rand_index(labels, kmeans.labels_) if has else None,
    )


def make_stretched_blobs(n=600, seed=170) -> Dataset:
    """Three blobs sheared by one linear map (scikit-learn's "k-means assumptions" example):
    k-means, which cuts space into round cells, mixes them; a full-covariance GMM does not."""
    from sklearn.datasets import make_blobs

    X, labels = make_blobs(n_samples=n, random_state=seed)
    X = X @ np.array([[0.6, -0.6], [-0.4, 0.8]])
    return Dataset("Stretched blobs (preset)", X, ("x", "y"), labels=labels,
                   label_names=("blob 1", "blob 2", "blob 3"))


# ------------------------------------------------------------------------------------------
# Density estimation


def train_test_split_rows(n, test_fraction=0.25, seed=0):
    """Indices (train, test) of a seeded random split; both non-empty when n ≥ 2."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = min(max(1, int(round(n * test_fraction))), n - 1)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def scott_factor(n, d) -> float:
    return n ** (-1.0 / (d + 4))


def kde_log_density(train, points, chunk=2048) -> np.ndarray:
    """Log of a Gaussian kernel density estimate with Scott's bandwidth (as SciPy's
    ``gaussian_kde``): log p̂(x) = log (1/n) Σ_j N(x | x_j, h² Σ̂), h = n^(−1/(d+4))."""
    train, points = np.atleast_2d(train), np.atleast_2d(points)
    n, d = train.shape
    cov = np.atleast_2d(np.cov(train, rowvar=False)) * scott_factor(n, d) ** 2
    chol = np.linalg.cholesky(cov)
    inv = np.linalg.inv(chol)  # whitening: Σ⁻¹ = invᵀ inv
    white_train = train @ inv.T
    log_norm = -0.5 * d * np.log(2 * np.pi) - np.log(np.diag(chol)).sum() - np.log(n)
    out = np.empty(len(points))
    sq_train = (white_train**2).sum(axis=1)
    for s in range(0, len(points), chunk):
        w = points[s : s + chunk] @ inv.T
        sq = (w**2).sum(axis=1)[:, None] + sq_train[None, :] - 2 * w @ white_train.T
        out[s : s + chunk] = logsumexp(-0.5 * np.maximum(sq, 0), axis=1) + log_norm
    return out


def histogram_log_density(train, points, bins="fd"):
    """1-D histogram density from ``train`` at ``points``: (log density, edges, heights).

    Points outside the bins or in an empty bin get log density −∞."""
    train, points = np.ravel(train), np.ravel(points)
    heights, edges = np.histogram(train, bins=bins, density=True)
    idx = np.searchsorted(edges, points, side="right") - 1
    idx[points == edges[-1]] = len(heights) - 1  # the last bin is closed
    inside = (idx >= 0) & (idx < len(heights))
    density = np.zeros(len(points))
    density[inside] = heights[idx[inside]]
    with np.errstate(divide="ignore"):
        return np.log(density), edges, heights


@dataclass(frozen=True, eq=False)
class DensityComparison:
    ks: np.ndarray
    gmm_scores: np.ndarray  # held-out mean log-likelihood for each K
    kde_score: float
    histogram_score: float | None  # 1-D only
    histogram_empty: int  # held-out points that fell where the histogram is 0
    histogram_finite_score: float | None  # its mean over the other held-out points
    n_train: int
    n_test: int
    n_rows: int  # rows of the data; above MAX_TRAIN + MAX_TEST only a random subset is used
    train: np.ndarray  # the row indices used to fit
    test: np.ndarray  # the held-out row indices

    @property
    def best_k(self) -> int:
        return int(self.ks[int(np.nanargmax(self.gmm_scores))])


#: The held-out comparison fits up to 10 models and a KDE (cost n_train × n_test): above
#: these sizes it uses a random subset of each side, and says so.
MAX_TRAIN, MAX_TEST = 6000, 2000


def compare_densities(X, max_components, covariance_type="full", *, test_fraction=0.25,
                      random_state=0, **fit_kwargs) -> DensityComparison:
    """Held-out mean log-likelihood of GMMs with K = 1..max_components, a KDE and (1-D) a
    histogram, all fitted on the same training rows and scored on the same held-out rows
    (at most :data:`MAX_TRAIN` and :data:`MAX_TEST` of them, picked at random)."""
    X = check_data(X, 2)
    train, test = train_test_split_rows(len(X), test_fraction, random_state)
    rng = np.random.default_rng(random_state)
    if len(train) > MAX_TRAIN:
        train = np.sort(rng.choice(train, MAX_TRAIN, replace=False))
    if len(test) > MAX_TEST:
        test = np.sort(rng.choice(test, MAX_TEST, replace=False))
    Xtr, Xte = X[train], X[test]
    ks = np.arange(1, min(max_components, len(Xtr)) + 1)
    scores = np.array([
        fit_mixture(Xtr, k, covariance_type, random_state=random_state,
                    **fit_kwargs).score(Xte) for k in ks])
    kde = float(kde_log_density(Xtr, Xte).mean()) if len(Xtr) > X.shape[1] else np.nan
    hist, empty, finite = None, 0, None
    if X.shape[1] == 1:
        log_h, _, _ = histogram_log_density(Xtr, Xte)
        hist, empty = float(log_h.mean()), int(np.isneginf(log_h).sum())
        finite = float(log_h[np.isfinite(log_h)].mean()) if empty < len(log_h) else None
    return DensityComparison(ks, scores, kde, hist, empty, finite, len(Xtr), len(Xte), len(X),
                             train, test)


def density_grid(model, X, resolution=80, margin=0.1):
    """The mixture's log density on a grid over ``X``'s range (2-D): (xs, ys, log p (ny, nx));
    in 1-D: (xs, None, log p)."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = (hi - lo) * margin + 1e-9
    axes = [np.linspace(a, b, resolution) for a, b in zip(lo - pad, hi + pad)]
    if X.shape[1] == 1:
        return axes[0], None, model.score_samples(axes[0][:, None])
    gx, gy = np.meshgrid(axes[0], axes[1])
    log_p = model.score_samples(np.c_[gx.ravel(), gy.ravel()]).reshape(gx.shape)
    return axes[0], axes[1], log_p
