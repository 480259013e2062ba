"""Gaussian mixtures with PCA: many-column data sets, standardising, projection, and the
projected covariance Wᵀ Σ W of a mixture fitted in the full space.

A point x (d columns) goes to y = Wᵀ (x − x̄) with W the d × m matrix of the first m principal
axes; a Gaussian N(μ, Σ) in the full space becomes N(Wᵀ(μ − x̄), Wᵀ Σ W) there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA

from gmm_core import MixtureParameters, datasets, n_parameters

from .applications import adjusted_rand_index, check_data, fit_mixture
from .applications import mixture_parameters as _params

#: Data sets with more than two columns, by the name the app shows.
MANY_COLUMNS = ("Penguins (4 numeric)", "Iris (4)", "Wine (13)", "Digits (64)")


def load_many_columns(name: str) -> datasets.Dataset:
    """One of :data:`MANY_COLUMNS`, every numeric column, true labels; rows with a missing
    value dropped (and counted in ``note``)."""
    if name == MANY_COLUMNS[0]:
        return datasets.load_penguins(datasets.PENGUIN_NUMERIC)
    if name == MANY_COLUMNS[1]:
        return datasets.load_iris_features(datasets.IRIS_FEATURES)
    from sklearn.datasets import load_digits, load_wine

    if name == MANY_COLUMNS[2]:
        bunch = load_wine()
        return datasets.Dataset("Wine", bunch.data.astype(float), tuple(bunch.feature_names),
                                labels=bunch.target.copy(),
                                label_names=tuple(map(str, bunch.target_names)))
    if name == MANY_COLUMNS[3]:
        bunch = load_digits()
        return datasets.Dataset("Digits", bunch.data.astype(float),
                                tuple(bunch.feature_names), labels=bunch.target.copy(),
                                label_names=tuple(map(str, bunch.target_names)))
    raise ValueError(f"Unknown data set {name!r}.")


def dataset_from_numeric_table(table: pd.DataFrame, name="Uploaded CSV") -> datasets.Dataset:
    """Every numeric column of an uploaded table, rows with a missing value dropped."""
    complete = table.dropna()
    dropped = len(table) - len(complete)
    X = complete.to_numpy(dtype=float)
    if not np.isfinite(X).all():
        raise ValueError("The file contains infinite values.")
    note = f"Dropped {dropped} of {len(table)} rows with a missing value." if dropped else ""
    return datasets.Dataset(name, X, tuple(map(str, complete.columns)), note=note,
                            n_dropped=dropped)


def standardize(X, feature_names):
    """(Z, kept names, dropped names): constant columns dropped (they carry nothing and
    cannot be scaled), the rest scaled to mean 0 and variance 1."""
    X = np.asarray(X, dtype=float)
    spread = X.std(axis=0)
    keep = spread > 0
    names = np.asarray(feature_names, dtype=object)
    Z = (X[:, keep] - X[:, keep].mean(axis=0)) / spread[keep]
    return Z, tuple(names[keep]), tuple(names[~keep])


def projected_gaussians(params: MixtureParameters, center, axes):
    """Means Wᵀ(μ_z − center), shape (K, m), and covariances Wᵀ Σ_z W, shape (K, m, m), for
    principal ``axes`` = W of shape (d, m)."""
    W = np.asarray(axes, dtype=float)
    means = (np.asarray(params.means) - center) @ W
    covs = np.einsum("dm,kde,en->kmn", W, params.full_covariances(), W)
    return means, covs


@dataclass(frozen=True, eq=False)
class ReductionResult:
    explained_variance_ratio: np.ndarray  # all principal axes
    scores: np.ndarray  # the data in the first m principal coordinates, (n, m)
    display: np.ndarray  # the data on the first two principal axes (n, ≤ 2), for charts
    pca_params: MixtureParameters  # the GMM fitted in PCA space (m dimensions)
    pca_labels: np.ndarray
    full_covariance_type: str
    full_means_2d: np.ndarray  # the full-space GMM projected on PC1, PC2
    full_covs_2d: np.ndarray
    full_labels: np.ndarray
    ari_pca: float | None
    ari_full: float | None
    n_features: int


def reduce_and_fit(Z, n_pca, n_components, covariance_type, full_covariance_type, *,
                   labels=None, random_state=0, **fit_kwargs) -> ReductionResult:
    """PCA of standardised ``Z``; a GMM on its first ``n_pca`` coordinates and a GMM on all
    of ``Z``, whose components are projected on the first two principal axes."""
    Z = check_data(Z, n_components)
    n_axes = min(Z.shape)
    if not 1 <= n_pca <= n_axes:
        raise ValueError(f"Choose between 1 and {n_axes} principal components.")
    pca = PCA(n_components=n_axes, random_state=random_state).fit(Z)
    scores = pca.transform(Z)[:, :n_pca]
    in_pca = fit_mixture(scores, n_components, covariance_type, random_state=random_state,
                         **fit_kwargs)
    in_full = fit_mixture(Z, n_components, full_covariance_type, random_state=random_state,
                          **fit_kwargs)
    full_params = _params(in_full)
    axes = pca.components_[: min(2, n_axes)].T
    means_2d, covs_2d = projected_gaussians(full_params, pca.mean_, axes)
    pca_labels, full_labels = in_pca.predict(scores), in_full.predict(Z)
    has = labels is not None
    return ReductionResult(
        pca.explained_variance_ratio_, scores, pca.transform(Z)[:, :2], _params(in_pca), pca_labels,
        full_covariance_type, means_2d, covs_2d, full_labels,
        adjusted_rand_index(labels, pca_labels) if has else None,
        adjusted_rand_index(labels, full_labels) if has else None, Z.shape[1],
    )


def pca_model_parameters(n_components, n_features, covariance_type, m) -> int:
    """Free parameters of "GMM on the first m principal coordinates + one noise variance for
    the other d − m": the GMM's, the m axes (d·m − m(m+1)/2, as in probabilistic PCA), the
    noise variance (if m < d) and the d-dimensional centre."""
    d = n_features
    return (n_parameters(n_components, m, covariance_type) + d * m - m * (m + 1) // 2
            + (1 if m < d else 0) + d)


def bic_by_pca_dimension(Z, max_pca, n_components, covariance_type, *, random_state=0,
                         **fit_kwargs):
    """(m values, BIC of the whole data) for m = 1..max_pca, under the model "a GMM on the
    first m principal coordinates, and independent N(0, σ²) noise of one shared variance in
    the other d − m" (lower is better). Every m describes the same d-dimensional data, so
    the values compare across m; a GMM's BIC on the m coordinates alone would not (its data
    grow with m)."""
    Z = check_data(Z, n_components)
    n, d = Z.shape
    m_max = min(max_pca, n, d)
    scores = PCA(n_components=min(n, d), random_state=random_state).fit_transform(Z)
    total = (scores**2).sum()  # scores are centred: Σ over every coordinate of y²
    ms = np.arange(1, m_max + 1)
    bics = []
    for m in ms:
        model = fit_mixture(scores[:, :m], n_components, covariance_type,
                            random_state=random_state, **fit_kwargs)
        log_likelihood = model.score(scores[:, :m]) * n
        rest = d - m
        if rest:
            sigma2 = max((total - (scores[:, :m] ** 2).sum()) / (n * rest), 1e-12)
            log_likelihood -= 0.5 * n * rest * (np.log(2 * np.pi * sigma2) + 1)
        k = pca_model_parameters(n_components, d, covariance_type, int(m))
        bics.append(-2 * log_likelihood + k * np.log(n))
    return ms, np.array(bics)
