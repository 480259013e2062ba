"""Which engine runs EM on which data: :class:`~gmm_core.EMEngine` on an array,
:class:`~gmm_core.dask_backend.DaskEMEngine` on a ``dask.array`` chunked by rows.

The one place that chooses, so the arrow goes one way: the Dask engine extends
``engine.EMEngine``, and ``engine`` never imports it. dask is imported only when given one.
"""

from __future__ import annotations

from . import _validation as v
from .engine import EMEngine


def engine_class(X) -> type[EMEngine]:
    """``DaskEMEngine`` for a dask array, else ``EMEngine``."""
    if v.is_dask_array(X):
        from .dask_backend import DaskEMEngine

        return DaskEMEngine
    return EMEngine


def make_engine(X, *args, **kwargs) -> EMEngine:
    """``EMEngine(X, ...)`` for the kind of ``X`` (the same arguments; see
    :class:`~gmm_core.EMEngine`)."""
    return engine_class(X)(X, *args, **kwargs)
