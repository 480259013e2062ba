"""Mixture parameters to and from plain dicts and JSON text (an export, a user-given start).

The format is plain JSON a person can read and edit::

    {"format": "em-playground/gmm-parameters", "version": 1,
     "covariance_type": "full", "n_components": 2, "n_features": 2,
     "weights": [...], "means": [[...], ...], "covariances": [...],
     "about": {...}}            # optional, free-form: where the numbers came from

Floats are written with Python's shortest round-trip repr, so a file read back gives the
same float64 bits. Reading checks everything and raises ``ValueError`` naming the problem and
the fix (not JSON, missing keys, unknown covariance type, wrong shapes, NaN, weights not
positive or not summing to 1, covariances not positive-definite).
"""

from __future__ import annotations

import json

import numpy as np

from .covariance import COVARIANCE_TYPES
from .covariance import covariance_type as _covariance_type
from .parameters import MixtureParameters

PARAMETERS_FORMAT = "em-playground/gmm-parameters"
PARAMETERS_VERSION = 1
#: |Σ π_z − 1| allowed in a file (hand-edited weights such as 0.3333 get this far off).
WEIGHTS_SUM_TOLERANCE = 1e-6
REQUIRED_KEYS = ("covariance_type", "weights", "means", "covariances")

_FIX = " Fix the file, or export parameters again from the app's Export section."


def parameters_to_dict(params: MixtureParameters, about: dict | None = None) -> dict:
    """``params`` as a plain dict of lists (JSON-ready); ``about``: free-form metadata."""
    out = {
        "format": PARAMETERS_FORMAT,
        "version": PARAMETERS_VERSION,
        "covariance_type": params.covariance_type,
        "n_components": int(params.n_components),
        "n_features": int(params.n_features),
        "weights": params.weights.tolist(),
        "means": params.means.tolist(),
        "covariances": params.covariances.tolist(),
    }
    if about:
        out["about"] = about
    return out


def parameters_to_json(params: MixtureParameters, about: dict | None = None) -> str:
    """``parameters_to_dict`` as indented JSON text (NaN is refused: the file stays JSON)."""
    return json.dumps(parameters_to_dict(params, about), indent=2, allow_nan=False) + "\n"


def _array(data: dict, key: str) -> np.ndarray:
    try:
        arr = np.array(data[key], dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f'"{key}" must hold numbers only (nested lists of numbers).'
                         + _FIX) from None
    if not np.isfinite(arr).all():
        raise ValueError(f'"{key}" contains NaN or infinity: give finite numbers.' + _FIX)
    return arr


def _check_shape(arr, shape, key, meaning):
    if arr.shape != shape:
        raise ValueError(f'"{key}" must have shape {shape} ({meaning}), got {arr.shape}.'
                         + _FIX)


def parameters_from_dict(data, n_features: int | None = None) -> MixtureParameters:
    """Parameters from a dict as written by :func:`parameters_to_dict`, checked.

    ``n_features``: the number of features of the data the parameters will be used on (the
    means must have that many columns). Raises ``ValueError`` naming the problem and the fix.
    """
    if not isinstance(data, dict):
        raise ValueError(f"The file must hold a JSON object {{...}}, got a JSON "
                         f"{type(data).__name__}." + _FIX)
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ValueError("The file lacks the key(s) " + ", ".join(f'"{k}"' for k in missing)
                         + f"; it needs {', '.join(REQUIRED_KEYS)}." + _FIX)
    cov_type = data["covariance_type"]
    if cov_type not in COVARIANCE_TYPES:
        raise ValueError(f'"covariance_type" must be one of {", ".join(COVARIANCE_TYPES)}, '
                         f"got {cov_type!r}." + _FIX)
    weights, means, covariances = (_array(data, k) for k in ("weights", "means", "covariances"))
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError(f'"weights" must be a list of K numbers, got shape {weights.shape}.'
                         + _FIX)
    k = weights.size
    if means.ndim != 2 or means.shape[0] != k:
        raise ValueError(f'"means" must be K = {k} lists (one per weight) of d numbers, got '
                         f"shape {means.shape}." + _FIX)
    d = means.shape[1]
    if n_features is not None and d != n_features:
        raise ValueError(f"The means have {d} feature(s) but the data in use has "
                         f"{n_features}: load a file made for data with {n_features} "
                         "column(s), or choose data with as many columns as the file.")
    kind = _covariance_type(cov_type)
    _check_shape(covariances, kind.precision_shape(k, d), "covariances",
                 f"covariance_type {cov_type!r}, K = {k}, d = {d}")
    if (weights <= 0).any():
        raise ValueError(f'Every weight must be > 0, got min {weights.min():.6g}.' + _FIX)
    total = float(weights.sum())
    if abs(total - 1) > WEIGHTS_SUM_TOLERANCE:
        raise ValueError(f"The weights must sum to 1, they sum to {total:.8g}: divide each by "
                         "their sum.")
    if kind.is_matrix:
        mats = covariances.reshape(-1, d, d)
        for i, mat in enumerate(mats):
            which = f"covariances[{i}]" if covariances.ndim == 3 else "the covariance"
            if not np.allclose(mat, mat.T, rtol=1e-10, atol=0):
                raise ValueError(f"{which} is not symmetric: a covariance matrix equals its "
                                 "transpose." + _FIX)
            if np.linalg.eigvalsh(mat)[0] <= 0:
                raise ValueError(f"{which} is not positive-definite (an eigenvalue ≤ 0): "
                                 "every variance must be > 0 and each correlation within "
                                 "(−1, 1)." + _FIX)
    elif (covariances <= 0).any():
        raise ValueError(f"Every variance must be > 0 for covariance_type {cov_type!r}, got "
                         f"min {covariances.min():.6g}." + _FIX)
    try:
        return MixtureParameters.from_covariances(weights, means, covariances, cov_type)
    except ValueError:  # positive by eigenvalues yet too ill-conditioned for a Cholesky
        raise ValueError("A covariance is too close to singular to be used: make its "
                         "variances larger." + _FIX) from None


def parameters_from_json(text, n_features: int | None = None) -> MixtureParameters:
    """Parameters from JSON text or bytes (see :func:`parameters_from_dict`)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("The file is not text (UTF-8 JSON): choose the .json file the "
                             "app exported.") from None
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise ValueError(f"The file is not valid JSON{where}: choose the .json file the app "
                         "exported, or correct the syntax.") from None
    return parameters_from_dict(data, n_features)
