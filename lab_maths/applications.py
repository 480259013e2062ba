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

from . import criteria

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
    gmm_scores: np.ndarray  # held-out mean log-likelihood for each K (mean over the folds)
    kde_score: float
    histogram_score: float | None  # 1-D only
    histogram_empty: int  # held-out points that fell where the histogram is 0
    histogram_finite_score: float | None  # its mean over the other held-out points
    n_folds: int
    n_used: int  # rows cross-validated (each one held out once)
    n_rows: int  # rows of the data; above MAX_ROWS only a random subset is used
    rows: np.ndarray  # the row indices used

    @property
    def best_k(self) -> int:
        return int(self.ks[int(np.nanargmax(self.gmm_scores))])


#: The comparison cross-validates up to 10 models and a KDE (cost n_train × n_test per fold):
#: above this many rows it uses a random subset, and says so.
MAX_ROWS = 8000
#: Model selection's default scheme ("Overfitting" section): the same folds give the same K.
CV_FOLDS = 5


def compare_densities(X, max_components, covariance_type="full", *, n_splits=CV_FOLDS,
                      random_state=0, **fit_kwargs) -> DensityComparison:
    """Held-out mean log-likelihood of GMMs with K = 1..max_components, a KDE and (1-D) a
    histogram, by the k-fold cross-validation of Model selection
    (``criteria.cross_validation_curve``: scikit-learn's ``KFold(shuffle=True)``, the same
    folds and fits), each model fitted on the training folds and scored on the held-out one,
    means over the folds; at most :data:`MAX_ROWS` rows, picked at random."""
    X = check_data(X, 2)
    rows = np.arange(len(X))
    if len(X) > MAX_ROWS:
        rows = np.sort(np.random.default_rng(random_state).choice(len(X), MAX_ROWS,
                                                                  replace=False))
    Xs = X[rows]
    n_splits = min(n_splits, len(Xs))
    splits = criteria.held_out_splits(Xs, n_splits=n_splits, random_state=random_state)
    smallest_train = min(len(tr) for tr, _ in splits)
    ks = np.arange(1, min(max_components, smallest_train) + 1)
    curve = criteria.cross_validation_curve(Xs, ks, covariance_type, n_splits=n_splits,
                                            random_state=random_state, **fit_kwargs)
    scores = curve["validation"].to_numpy(dtype=float)
    if np.isnan(scores).all():
        raise ValueError("No K could be fitted on the training folds. Try a larger reg_covar "
                         "or more data.")
    kde = (float(np.mean([kde_log_density(Xs[tr], Xs[va]).mean() for tr, va in splits]))
           if smallest_train > X.shape[1] else np.nan)
    hist, empty, finite = None, 0, None
    if X.shape[1] == 1:
        logs = [histogram_log_density(Xs[tr], Xs[va])[0] for tr, va in splits]
        hist = float(np.mean([log_h.mean() for log_h in logs]))
        every = np.concatenate(logs)
        empty = int(np.isneginf(every).sum())
        finite = float(every[np.isfinite(every)].mean()) if empty < len(every) else None
    return DensityComparison(ks, scores, kde, hist, empty, finite, n_splits, len(Xs), len(X),
                             rows)


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
