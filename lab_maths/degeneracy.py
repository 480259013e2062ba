"""A collapse you can step through: data with a few duplicated points and a start that puts
one component on them. Pure NumPy; uses only gmm_core's public names.

With ``reg_covar = 0`` that component's covariance shrinks towards zero, the log-likelihood
climbs without bound and, once the covariance is numerically singular, the engine refuses
the step in plain words; any ``reg_covar > 0`` stops the shrinking at about ``reg_covar``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gmm_core import EMEngine

DUPLICATE = (3.0, 3.0)


@dataclass(frozen=True)
class CollapsePreset:
    X: np.ndarray
    duplicate: np.ndarray  # the repeated point
    start: dict  # weights_init, means_init, precisions_init for EMEngine (full, K = 2)


def collapse_preset(n_blob=120, n_duplicates=4, seed=0) -> CollapsePreset:
    """``n_blob`` points of N(0, I) in 2-D and ``n_duplicates`` copies of (3, 3); the start
    has equal weights, one mean on the blob's centre and one on the duplicates, and both
    covariances equal to the data's (a broad start, so the collapse takes many steps)."""
    rng = np.random.default_rng(seed)
    duplicate = np.array(DUPLICATE)
    X = np.vstack([rng.standard_normal((n_blob, 2)), np.tile(duplicate, (n_duplicates, 1))])
    precision = np.linalg.inv(np.cov(X, rowvar=False))
    start = dict(weights_init=[0.5, 0.5], means_init=[[0.0, 0.0], list(duplicate)],
                 precisions_init=np.stack([precision, precision]))
    return CollapsePreset(X, duplicate, start)


def lab_engine(preset: CollapsePreset, reg_covar: float) -> EMEngine:
    """EM from the preset's start; tol = 0, so it never stops by itself."""
    return EMEngine(preset.X, 2, covariance_type="full", reg_covar=reg_covar, tol=0.0,
                    **preset.start)


def collapse_trace(engine: EMEngine, point) -> pd.DataFrame:
    """Per iteration (the start and every M-step): the total log-likelihood, the smallest
    variance of the component on the duplicates (component 2, in any direction) and the
    mixture's log-density log p(x) at ``point``."""
    point = np.asarray(point, dtype=float)[None, :]
    rows = []
    for record in engine.history:
        if record.phase == "E":
            continue
        params = record.params
        rows.append(dict(
            iteration=record.iteration, log_likelihood=record.log_likelihood,
            smallest_variance=float(np.linalg.eigvalsh(params.full_covariances()[1])[0]),
            log_density_at_point=float(params.score_samples(point)[0])))
    return pd.DataFrame(rows)
