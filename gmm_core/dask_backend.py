"""EM on a ``dask.array``: the E-step mapped over blocks where they live, statistics reduced.

Imported only when :func:`~gmm_core.make_engine` or :class:`~gmm_core.GaussianMixture` is
given a dask array (``gmm_core`` itself never imports dask). Each pass over the data sends
the current :class:`~gmm_core.MixtureParameters` (a few hundred bytes) to the workers, runs
the in-memory streaming E-step (:func:`gmm_core.estep.estep`) on every block of rows there,
and merges the blocks' :class:`~gmm_core.SufficientStatistics` pairwise (Chan et al.) in a
tree on the workers; only the merged statistics (K × d × d numbers) come back. The M-step
runs here, on those statistics. The data never moves, and never needs to fit in one place.

Decisions:

* Rows per block are the user's: chunk X by rows (each block must fit in a worker's memory;
  inside a block the E-step streams in cache-sized chunks). A dask array also chunked
  along columns is rechunked to whole rows automatically (``X.rechunk({1: -1})``), which
  for the few columns of a mixture costs one block row of memory.
* Unknown chunk sizes (after boolean indexing) are refused with a message to call
  ``X.compute_chunk_sizes()``: the row ranges of the blocks are needed up front.
* One scan at construction checks every block (NaN or infinity → ValueError naming the
  block's row range), finds max |x| and draws the sample the start is computed on.
"""

from __future__ import annotations

import os

import numpy as np
from dask import compute, delayed
from sklearn.utils import check_random_state

from . import _validation as v
from .engine import EMEngine
from .estep import estep
from .mstep import lower_bound

#: The start is computed on a uniform sample of this many rows (all rows when n is smaller).
SAMPLE_ROWS = 100_000

#: Blocks' statistics merged this many at a time, in a tree on the workers.
_FAN_IN = 8

#: float64 values per chunk temporary when glibc's mmap threshold is pinned (below).
_PINNED_MMAP_VALUES = 15_000  # < 128 KiB, glibc's default M_MMAP_THRESHOLD
_MALLOC_ENV = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_",
               "MALLOC_MMAP_MAX_")


# -------------------------------------------------------------------------------------
# Input checks (lazy: nothing is computed here)


def as_row_blocks(X, n_components=None):
    """A dask array as EM needs it: 2-D, float64 blocks of whole rows, known chunk sizes.

    Raises ValueError naming the problem and the fix; nothing is computed.
    """
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(
            f"X must be 1-D (n_samples,) or 2-D (n_samples, n_features), got shape {X.shape}."
        )
    if any(np.isnan(c) for c in X.chunks[0]) or any(np.isnan(c) for c in X.chunks[1]):
        raise ValueError(
            "X is a dask array with unknown chunk sizes (as after boolean indexing): call "
            "X = X.compute_chunk_sizes() first, so every block's row range is known."
        )
    if X.dtype.kind == "c":
        raise ValueError("X has complex numbers: pass real numbers only.")
    if X.dtype.kind not in "fiub":
        raise ValueError(
            f"X must be a numeric dask array, got dtype {X.dtype}: convert it with "
            "X.astype(float)."
        )
    n, d = X.shape
    if n == 0 or d == 0:
        raise ValueError(f"X is empty (shape {X.shape}): pass at least 2 samples.")
    v.check_sample_count(n, n_components)
    if len(X.chunks[1]) > 1:  # whole rows per block; see the module docstring
        X = X.rechunk({1: -1})
    return X.astype(np.float64) if X.dtype != np.float64 else X


def _row_starts(X):
    return np.concatenate([[0], np.cumsum(X.chunks[0])]).astype(int)


def _float_block(block):
    return np.ascontiguousarray(block, dtype=np.float64)


def _worker_chunk_size(chunk_size, params):
    """Rows per E-step chunk inside a block, on this worker.

    distributed's workers start with MALLOC_TRIM_THRESHOLD_ set, which pins glibc's mmap
    threshold at 128 KiB: the default chunk's (K, d, rows) temporaries (256 KiB) would then
    be mmapped and unmapped every chunk, costing 1.7× the CPU of the E-step (measured).
    Chunks kept under 128 KiB cost about 1.35× instead (K = 5, d = 2).
    """
    if chunk_size is None and any(os.environ.get(name) for name in _MALLOC_ENV):
        return max(16, _PINNED_MMAP_VALUES // (params.n_components * params.n_features))
    return chunk_size


def _check_finite(x, start):
    finite = np.isfinite(x).all(axis=1)
    if not finite.all():
        first = start + int(np.argmin(finite))
        raise ValueError(
            f"X contains NaN or infinity in the block of rows {start} to {start + len(x) - 1} "
            f"(first at row {first}, {int((~finite).sum())} rows in that block): drop or "
            "impute those rows first, e.g. X = X[da.isfinite(X).all(axis=1)] then "
            "X.compute_chunk_sizes()."
        )


# -------------------------------------------------------------------------------------
# Block kernels (run on the workers)


def _scan_block(block, start, take, seed, weights=None):
    """Check a block and draw its share of the sample: (max, min, sample rows, their weights)."""
    x = _float_block(block)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    if len(x) == 0:
        return 0.0, 0.0, x, w
    _check_finite(x, start)
    if take < len(x):
        rows = np.sort(np.random.default_rng(seed).choice(len(x), size=take, replace=False))
        x = x[rows]
        w = None if w is None else w[rows]
    return float(block.max()), float(block.min()), x, w


def _weight_summary(w):
    """(Σ w, non-finite count, negative count, positive count, min) of a block of weights."""
    w = np.asarray(w, dtype=np.float64)
    finite = np.isfinite(w)
    return np.array([w[finite].sum(), (~finite).sum(), (w < 0).sum(), (w > 0).sum(),
                     w.min() if len(w) else np.inf])


def _block_weights(weights):
    return None if weights is None else np.asarray(weights, dtype=np.float64)


def _block_statistics(block, weights, params, chunk_size):
    return estep(_float_block(block), params, sample_weight=_block_weights(weights),
                 chunk_size=_worker_chunk_size(chunk_size, params))


def _merge(parts):
    merged = parts[0]
    for part in parts[1:]:
        merged = merged.merge(part)
    return merged


def _block_bound(block, weights, old_params, new_params, chunk_size):
    x = _float_block(block)
    chunk = _worker_chunk_size(chunk_size, new_params)
    return np.array(lower_bound(x, new_params, _responsibilities(x, old_params, chunk), chunk,
                                _block_weights(weights)))


def _block_log_likelihood(block, weights, params):
    stats = estep(_float_block(block), params, statistics=False,
                  sample_weight=_block_weights(weights),
                  chunk_size=_worker_chunk_size(None, params))
    return np.array([stats.log_likelihood])


def _responsibilities(x, params, chunk_size):
    resp = np.empty((len(x), params.n_components))
    estep(x, params, responsibilities_out=resp, statistics=False, chunk_size=chunk_size)
    return resp


def _rows_kernel(block, params, what, block_info=None):
    """Responsibilities, predictions or log-densities of one block (lazy map_blocks)."""
    x = _float_block(block)
    _check_finite(x, block_info[0]["array-location"][0][0] if block_info else 0)
    chunk = _worker_chunk_size(None, params)
    if what == "responsibilities":
        return _responsibilities(x, params, chunk)
    return params.predict(x, chunk) if what == "predict" else params.score_samples(x, chunk)


def _tree_sum(parts, combine):
    """Combine delayed parts ``_FAN_IN`` at a time until one is left (on the workers)."""
    while len(parts) > 1:
        parts = [delayed(combine)(parts[i : i + _FAN_IN]) for i in range(0, len(parts), _FAN_IN)]
    return parts[0]


def _sum_arrays(parts):
    return np.sum(parts, axis=0)


# -------------------------------------------------------------------------------------
# Lazy per-row results


def rowwise(params, X, what, dtype=np.float64):
    """``"responsibilities"``, ``"predict"`` or ``"score_samples"`` of a dask ``X``, lazily."""
    if what == "responsibilities":
        result = X.map_blocks(_rows_kernel, params=params, what=what, dtype=np.float64,
                              chunks=(X.chunks[0], (params.n_components,)))
    else:
        result = X.map_blocks(_rows_kernel, params=params, what=what, drop_axis=1,
                              dtype=np.int64 if what == "predict" else np.float64)
    return result if what == "predict" else result.astype(dtype)


# -------------------------------------------------------------------------------------


class DaskEMEngine(EMEngine):
    """:class:`~gmm_core.EMEngine` on a dask array chunked by rows (same API and results).

    Made by ``gmm_core.make_engine(X, ...)`` when ``X`` is a ``dask.array``; runs on the active dask
    scheduler (a ``distributed.Client`` if one exists). For the same start it takes the
    same steps as the in-memory engine, up to floating-point rounding (the blocks'
    statistics are summed in a different order).

    Starts: the ``init`` methods ("kmeans": scikit-learn's k-means; "k-means++":
    scikit-learn's ``kmeans_plusplus``; "random", "random_from_data") run on a uniform
    random sample of ``SAMPLE_ROWS`` rows drawn in the construction scan (each block gives
    its share, with seeds drawn from ``random_state``); when X has at most ``SAMPLE_ROWS``
    rows the sample is all of X in order, so the start is exactly the in-memory engine's.
    EM itself then runs on every row.

    ``responsibilities`` and ``responsibilities_at`` are lazy dask arrays.

    ``sample_weight`` may be a NumPy array or a 1-D dask array (rechunked to X's row
    blocks; each block's weights travel with it); the sample of the start carries its rows'
    weights. The checks (length, NaN, negative, all zero) run in the construction scan.
    """

    def __init__(self, X, n_components, *, random_state=None, sample_weight=None, **kwargs):
        # One RandomState for the sample's seeds and then the start, so an int gives the
        # in-memory engine's draws when no sample is needed.
        self._random_state = check_random_state(random_state)
        self._raw_weights = sample_weight  # read by _check_data's scan
        super().__init__(X, n_components, random_state=self._random_state,
                         sample_weight=sample_weight, **kwargs)
        self._sample = self._sample_weights = self._raw_weights = None  # start done

    def _weight_blocks(self, X):
        """Delayed weight blocks aligned with X's row blocks ([None] * blocks if unweighted)."""
        w = self._raw_weights
        if w is None:
            return [None] * len(X.chunks[0])
        import dask.array as da

        if not v.is_dask_array(w):
            w = v.check_sample_weight(w, X.shape[0])
            w = da.from_array(np.asarray(w), chunks=(X.chunks[0],))
        if w.ndim != 1 or w.shape[0] != X.shape[0] or any(np.isnan(c) for c in w.chunks[0]):
            raise ValueError(
                f"sample_weight has shape {w.shape} but X has {X.shape[0]} rows: pass one "
                f"weight per row, shape ({X.shape[0]},) (known chunk sizes)."
            )
        self._weights_dask = w.rechunk((X.chunks[0],))
        return list(self._weights_dask.to_delayed().ravel())

    def _check_sample_weight(self, sample_weight):
        """Checked from the scan's per-block summaries; the weights as a dask array."""
        if self._weight_summary is None:
            return None
        total, n_bad, n_neg, n_pos, smallest = self._weight_summary
        v.check_weight_summary(float(total), int(n_bad), int(n_neg), float(smallest),
                               self.n_samples)
        v.check_positive_weight_rows(int(n_pos), self.n_components)
        self._weight_total = float(total)
        return self._weights_dask  # passes use the blocks of it in self._wblocks

    def _check_data(self, X):
        X = as_row_blocks(X, self.n_components)
        self._blocks = list(X.to_delayed().ravel())
        self._wblocks = self._weight_blocks(X)
        starts = _row_starts(X)
        n = int(starts[-1])
        m = min(n, max(SAMPLE_ROWS, 10 * self.n_components))
        if m == n:
            takes = np.diff(starts)
            seeds = np.zeros(len(takes), dtype=np.int64)
        else:
            takes = np.diff(starts) * m // n
            seeds = self._random_state.randint(2**31 - 1, size=len(takes))
        scans, summaries = compute(
            [delayed(_scan_block)(block, int(start), int(take), int(seed), w)
             for block, start, take, seed, w in zip(self._blocks, starts, takes, seeds,
                                                     self._wblocks)],
            [delayed(_weight_summary)(w) for w in self._wblocks if w is not None],
        )
        self._weight_summary = None
        if summaries:
            parts = np.array(summaries)
            self._weight_summary = (*parts[:, :4].sum(axis=0), parts[:, 4].min())
        biggest = max(max(hi, -lo) for hi, lo, _, _ in scans)
        if biggest > v.MAX_ABS_VALUE:
            raise ValueError(
                f"X has values too large to square in float64 (max |x| = {biggest:.3g}): "
                "rescale the data (for example standardise it)."
            )
        self._sample = np.concatenate([s for _, _, s, _ in scans])
        self._sample_weights = (None if not summaries
                                else np.concatenate([w for _, _, _, w in scans]))
        return X, biggest

    def _initial_parameters(self, random_state, weights_init, means_init, precisions_init):
        sample, self._sample = self._sample, None  # needed only for the start
        if len(sample) < self.n_components:
            raise ValueError(
                f"The start's sample has {len(sample)} rows, fewer than n_components="
                f"{self.n_components}: use bigger blocks or fewer components."
            )
        full, self._X = self._X, sample
        marker, self._sample_weight = self._sample_weight, self._sample_weights
        try:
            return super()._initial_parameters(random_state, weights_init, means_init,
                                               precisions_init)
        finally:
            self._X, self._sample_weight = full, marker

    def _pass(self, params, *, keep_responsibilities):
        p = delayed(params, traverse=False)
        parts = [delayed(_block_statistics)(b, w, p, self.chunk_size)
                 for b, w in zip(self._blocks, self._wblocks)]
        (stats,) = compute(_tree_sum(parts, _merge))
        resp = self._responsibilities(params) if keep_responsibilities else None
        return stats, resp

    def _lower_bound(self, new_params):
        # The responsibilities in force are those of the current parameters (the E-step
        # just done on them): recomputed block by block rather than stored.
        old, new = delayed(self._params, traverse=False), delayed(new_params, traverse=False)
        parts = [delayed(_block_bound)(b, w, old, new, self.chunk_size)
                 for b, w in zip(self._blocks, self._wblocks)]
        (total,) = compute(_tree_sum(parts, _sum_arrays))
        return float(total[0]), float(total[1])

    def _log_likelihood(self, params) -> float:
        p = delayed(params, traverse=False)
        parts = [delayed(_block_log_likelihood)(b, w, p)
                 for b, w in zip(self._blocks, self._wblocks)]
        (total,) = compute(_tree_sum(parts, _sum_arrays))
        return float(total[0])

    def _responsibilities(self, params):
        return rowwise(params, self._X, "responsibilities")
