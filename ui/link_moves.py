"""Hand-set records (``EMEngine.set_parameters``, issue 22) in a link: the ``moves``
parameter. A link replays a Step by step run by stepping from its start; a record set by
hand cannot be stepped to, so its parameters travel: ``index:v1,v2,…`` per record, records
separated by ``;``, where the numbers are the weights, the means and the covariances (in
the run's covariance type, flattened) written with ``repr`` (they read back bit for bit).
"""

from __future__ import annotations

import numpy as np

from gmm_core import MixtureParameters

#: At most this many hand-set records travel in a link (each is ≈ 20 numbers at K = 3).
MAX_MOVES = 12
NOTE = "you set it by hand (from a link)"


def encode(history) -> str | None:
    """The ``moves`` text of the hand-set records of ``history`` (None if there are none)."""
    parts = []
    for r in history:
        if r.phase != "set":
            continue
        p = r.params
        numbers = np.concatenate([p.weights.ravel(), p.means.ravel(), p.covariances.ravel()])
        parts.append(f"{r.index}:" + ",".join(repr(float(v)) for v in numbers))
    return ";".join(parts[-MAX_MOVES:]) if parts else None


def decode(text: str) -> dict[int, tuple[float, ...]]:
    """``{record index: numbers}``; ValueError (the rule) for text that is not that."""
    rule = "moves must be 'index:numbers' separated by ';'"
    out = {}
    for part in text.split(";"):
        index, sep, numbers = part.partition(":")
        try:
            values = tuple(float(v) for v in numbers.split(","))
            i = int(index)
        except ValueError:
            raise ValueError(rule) from None
        if not sep or i < 1 or not all(np.isfinite(values)):
            raise ValueError(rule)
        out[i] = values
    if len(out) > MAX_MOVES:
        raise ValueError(f"a link carries at most {MAX_MOVES} moves")
    return out


def parameters(values, like: MixtureParameters) -> MixtureParameters:
    """The numbers of one move as parameters of ``like``'s shape and covariance type;
    ValueError if they do not fit (wrong count, not positive-definite, weights)."""
    v = np.asarray(values, dtype=float)
    k, d = like.means.shape
    sizes = (k, k * d, like.covariances.size)
    if v.size != sum(sizes):
        raise ValueError(f"a move needs {sum(sizes)} numbers for K = {k}, "
                         f"{like.covariance_type}, got {v.size}")
    weights, means, covs = np.split(v, np.cumsum(sizes)[:2])
    return MixtureParameters.from_covariances(weights, means.reshape(k, d),
                                              covs.reshape(like.covariances.shape),
                                              like.covariance_type)
