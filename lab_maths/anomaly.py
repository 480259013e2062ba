"""Anomaly detection with a fitted mixture: points of low log-density log p(x) are unusual.

log p(x) = log Σ_z π_z N(x | μ_z, Σ_z); a point is flagged when log p(x) < t, with t a value
or the p-th percentile of the data's own log-densities. Pure NumPy/pandas.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


def threshold_from_percentile(log_density, percentile) -> float:
    """t such that about ``percentile`` % of the points have log p(x) below it."""
    return float(np.percentile(log_density, percentile))


def flag(log_density, threshold) -> np.ndarray:
    """True where log p(x) < threshold."""
    return np.asarray(log_density) < threshold


def mahalanobis_to_components(X, means, covariances) -> np.ndarray:
    """Distance of each point to each component, sqrt((x−μ_z)ᵀ Σ_z⁻¹ (x−μ_z)), shape (n, K).

    ``covariances`` is (K, d, d) (``MixtureParameters.full_covariances()``)."""
    X = np.asarray(X, dtype=float)
    out = np.empty((len(X), len(means)))
    for z, (mu, cov) in enumerate(zip(means, covariances)):
        chol = np.linalg.cholesky(cov)
        white = np.linalg.solve(chol, (X - mu).T)
        out[:, z] = np.sqrt((white**2).sum(axis=0))
    return out


def most_anomalous(X, log_density, distances, feature_names, n_rows=10) -> pd.DataFrame:
    """The ``n_rows`` points of lowest log-density, lowest first, with their closest
    component (smallest Mahalanobis distance) and that distance."""
    order = np.argsort(log_density, kind="stable")[:n_rows]
    closest = distances[order].argmin(axis=1)
    frame = pd.DataFrame(np.asarray(X)[order], columns=list(feature_names))
    frame.insert(0, "row", order)
    frame["log p(x)"] = np.asarray(log_density)[order]
    frame["closest z"] = closest + 1
    frame["Mahalanobis d"] = distances[order, closest]
    return frame


def inject_outliers(X, n_outliers, seed=0, spread=0.5):
    """``X`` with ``n_outliers`` rows drawn uniformly from its bounding box enlarged by
    ``spread`` of its range on every side, appended; returns (X_new, is_outlier).

    Some injected points can land among the data: they are outliers by origin, not by place,
    which is why recall below 1 is honest."""
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(seed)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = (hi - lo) * spread
    extra = rng.uniform(lo - pad, hi + pad, size=(n_outliers, X.shape[1]))
    truth = np.r_[np.zeros(len(X), bool), np.ones(n_outliers, bool)]
    return np.vstack([X, extra]), truth


def precision_recall(truth, flagged) -> tuple[float, float]:
    """Precision = flagged true outliers / flagged; recall = flagged true outliers / outliers
    (precision is 0 when nothing is flagged, as scikit-learn's ``zero_division=0``)."""
    truth, flagged = np.asarray(truth, bool), np.asarray(flagged, bool)
    hits = int((truth & flagged).sum())
    precision = hits / flagged.sum() if flagged.any() else 0.0
    recall = hits / truth.sum() if truth.any() else 0.0
    return float(precision), float(recall)


@dataclass(frozen=True)
class PRCurve:
    """Precision and recall when flagging the m lowest-density points, for each distinct
    threshold (a tie flags all its points at once)."""

    thresholds: np.ndarray  # log p values: flag log p ≤ threshold
    precision: np.ndarray
    recall: np.ndarray

    @property
    def average_precision(self) -> float:
        """Σ (R_m − R_{m−1}) P_m, scikit-learn's definition."""
        steps = np.diff(np.r_[0.0, self.recall])
        return float((steps * self.precision).sum())


def precision_recall_curve(truth, log_density) -> PRCurve:
    truth = np.asarray(truth, bool)
    order = np.argsort(log_density, kind="stable")
    scores = np.asarray(log_density)[order]
    hits = np.cumsum(truth[order])
    # Last index of each run of equal scores: all tied points are flagged together.
    last = np.r_[np.flatnonzero(np.diff(scores) != 0), len(scores) - 1]
    flagged = last + 1
    return PRCurve(scores[last], hits[last] / flagged, hits[last] / max(truth.sum(), 1))
