"""Input checks that raise ``ValueError`` naming the problem and the fix."""

from __future__ import annotations

import difflib
import numbers

import numpy as np

from .covariance import covariance_type as _covariance_type

INIT_METHODS = ("kmeans", "k-means++", "random", "random_from_data")

#: Values beyond this overflow float64 when squared; the user must rescale.
MAX_ABS_VALUE = 1e150


def check_choice(value, allowed, name):
    """``value`` must be one of ``allowed``; suggests the nearest name on a near-miss."""
    if isinstance(value, str) and value in allowed:
        return value
    hint = ""
    if isinstance(value, str):
        # "kmeans++" -> "k-means++": compare with punctuation and case removed first.
        def squash(s):
            return "".join(ch for ch in s.lower() if ch.isalnum() or ch == "+")

        same = [a for a in allowed if squash(a) == squash(value)]
        close = same or difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
        if close:
            hint = f" Did you mean {close[0]!r}?"
    raise ValueError(
        f"Unknown {name} {value!r}. Use one of {', '.join(map(repr, allowed))}.{hint}"
    )


def check_int(value, name, *, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}.")
    return int(value)


def check_nonnegative_float(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}.")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}.")
    return float(value)


def is_dask_array(X) -> bool:
    """True for a ``dask.array.Array``, told by its type's module so dask is never imported."""
    return type(X).__module__.startswith("dask.") and hasattr(X, "chunks")


def check_data(X, n_components=None):
    """Validate data for EM and return it as a C-contiguous float64 array of shape (n, d).

    A 1-D array of shape (n,) is taken as n samples of one feature.
    """
    if X is None:
        raise ValueError("X is None: pass an array of shape (n_samples,) or (n_samples, d).")
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise ValueError("X is a sparse matrix: pass a dense array (X.toarray()).")
    try:
        arr = np.asarray(X)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(
            f"X could not be read as an array ({exc}). Pass a rectangular table of numbers."
        ) from None
    if arr.dtype.kind == "c":
        raise ValueError("X has complex numbers: pass real numbers only.")
    if arr.dtype.kind not in "fiub":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(
                "X must be numeric, but some values are not numbers (for example text). "
                "Keep only numeric columns or convert them to numbers."
            ) from None
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise ValueError(
            f"X must be 1-D (n_samples,) or 2-D (n_samples, n_features), got shape {arr.shape}."
        )
    n, d = arr.shape
    if n == 0 or d == 0:
        raise ValueError(f"X is empty (shape {arr.shape}): pass at least 2 samples.")
    finite = np.isfinite(arr)
    if not finite.all():
        bad_rows = int((~finite).any(axis=1).sum())
        raise ValueError(
            f"X contains NaN or infinity in {bad_rows} of {n} rows: "
            "drop or impute those rows first."
        )
    biggest = max(float(arr.max()), -float(arr.min()))
    if biggest > MAX_ABS_VALUE:
        raise ValueError(
            f"X has values too large to square in float64 (max |x| = {biggest:.3g}): "
            "rescale the data (for example standardise it)."
        )
    check_sample_count(n, n_components)
    return arr


def check_sample_count(n: int, n_components: int | None):
    """Raise ValueError unless n samples can fit ``n_components`` components."""
    if n < 2:
        raise ValueError(
            "X has only 1 sample: a mixture needs n_samples >= 2 (and >= n_components)."
        )
    if n_components is not None and n_components > n:
        raise ValueError(
            f"n_components={n_components} is larger than the number of samples n={n}: "
            f"use n_components <= {n} or add data."
        )


def _as_float_array(value, name):
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers.") from None
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity: give finite numbers.")
    return arr


def _float32_input(value) -> bool:
    """True when ``value`` is a float32 array (its tolerances are float32's, as scikit-learn)."""
    return getattr(value, "dtype", None) == np.float32


def check_weights(weights, n_components):
    """Checked ``weights_init``, as float64.

    The messages begin with scikit-learn's wording (code matching its errors keeps
    working), then name the fix. The sum may miss 1 by 1e-8, or by 1e-6 when the weights
    are float32 (rounding alone leaves float32 weights 1e-7 off: scikit-learn's tolerance).
    """
    atol = 1e-6 if _float32_input(weights) else 1e-8
    w = _as_float_array(weights, "weights_init")
    if w.shape != (n_components,):
        raise ValueError(
            f"The parameter 'weights' should have the shape of ({n_components},), but got "
            f"{w.shape}: weights_init must have shape ({n_components},) for n_components="
            f"{n_components}, got {w.shape}."
        )
    if (w < 0).any() or (w > 1).any():
        raise ValueError(
            f"weights_init must be in [0, 1], got min {w.min():.5g}, max {w.max():.5g}."
        )
    if not np.isclose(w.sum(), 1.0, rtol=0, atol=atol):
        raise ValueError(
            f"The parameter 'weights' should be normalized, but got sum(weights) = "
            f"{w.sum():.5f}: weights_init must sum to 1, got sum {w.sum():.8g}: divide by "
            "the sum."
        )
    return w


def check_means(means, n_components, n_features):
    m = _as_float_array(means, "means_init")
    if n_features == 1 and m.shape == (n_components,):
        m = m.reshape(-1, 1)
    if m.shape != (n_components, n_features):
        raise ValueError(
            f"The parameter 'means' should have the shape of ({n_components}, {n_features}), "
            f"but got {m.shape}: means_init must have shape ({n_components}, {n_features}) "
            f"(n_components, n_features), got {m.shape}."
        )
    return m


def check_precisions(precisions, covariance_type, n_components, n_features):
    p = _as_float_array(precisions, "precisions_init")
    kind = _covariance_type(covariance_type)
    shape = kind.precision_shape(n_components, n_features)
    if p.shape != shape:
        raise ValueError(
            f"The parameter '{kind.name} precision' should have the shape of {shape}, but "
            f"got {p.shape}: precisions_init for covariance_type={covariance_type!r} must "
            f"have shape {shape}, got {p.shape}."
        )
    if kind.is_matrix:
        mats = p.reshape(-1, n_features, n_features)
        for i, mat in enumerate(mats):
            if not np.allclose(mat, mat.T) or np.linalg.eigvalsh(mat)[0] <= 0:
                which = f"precisions_init[{i}]" if p.ndim == 3 else "precisions_init"
                raise ValueError(
                    f"'{kind.name} precision' should be symmetric, positive-definite: "
                    f"{which} must be symmetric and positive-definite (an inverse covariance)."
                )
    elif (p <= 0).any():
        raise ValueError(
            f"'{kind.name} precision' should be positive: precisions_init for "
            f"covariance_type={covariance_type!r} must be positive (inverse variances)."
        )
    return p


def check_start(start, parameters_class, n_components, n_features, covariance_type):
    """``start`` must be a ``parameters_class`` (MixtureParameters) of the engine's shape."""
    if not isinstance(start, parameters_class):
        raise ValueError(
            f"start must be a MixtureParameters, got {type(start).__name__}: build one "
            "with MixtureParameters.from_covariances(...)."
        )
    want = (n_components, n_features, covariance_type)
    got = (start.n_components, start.n_features, start.covariance_type)
    if got != want:
        raise ValueError(
            f"start has (n_components, n_features, covariance_type) = {got}, but the engine "
            f"has {want}: pass matching parameters or use EMEngine.from_parameters(X, params)."
        )


def check_sample_weight(sample_weight, n_samples):
    """``sample_weight`` as a read-only float64 array of shape (n_samples,), or None.

    A weight w_i counts row i as if it were there w_i times (any w_i >= 0, not only
    integers). Raises ValueError naming the fix for a wrong length, NaN or infinity,
    negative weights, or weights that are all zero.
    """
    if sample_weight is None:
        return None
    try:
        w = np.array(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            "sample_weight must be numbers, one per row of X: convert the column to numbers."
        ) from None
    if w.ndim == 0:  # scikit-learn's convention: one number weighs every row the same
        w = np.full(n_samples, float(w))
    if w.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {w.shape} but X has {n_samples} rows: pass one weight "
            f"per row, shape ({n_samples},)."
        )
    finite = np.isfinite(w)
    negative = w < 0
    check_weight_summary(float(w[finite].sum()), int((~finite).sum()), int(negative.sum()),
                         float(w[negative].min()) if negative.any() else 0.0, n_samples)
    w.setflags(write=False)
    return w


def check_weight_summary(total: float, n_bad: int, n_negative: int, smallest: float,
                         n_samples: int):
    """The weight checks from a summary of the weights (all of them in memory, or a dask
    array's per-block sums): ValueError naming the fix for NaN or infinity, negative
    weights, or weights that are all zero."""
    if n_bad:
        raise ValueError(
            f"sample_weight contains NaN or infinity in {n_bad} of {n_samples} "
            "rows: give every row a finite weight (0 leaves a row out)."
        )
    if n_negative:
        raise ValueError(
            f"sample_weight has {n_negative} negative weights (smallest "
            f"{smallest:.5g}): weights must be >= 0 (0 leaves a row out)."
        )
    if not total > 0:
        raise ValueError(
            "sample_weight is zero for every row: give at least one row a positive weight."
        )


def check_positive_weight_rows(n_positive: int, n_components: int):
    """K components need at least K rows of positive weight."""
    if n_positive < n_components:
        raise ValueError(
            f"Only {n_positive} rows have a positive sample_weight, fewer than "
            f"n_components={n_components}: reduce n_components or give more rows a weight."
        )
