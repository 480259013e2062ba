"""The read-only public state of :class:`gmm_core.engine.EMEngine`: the data, the current
parameters, the counters and the history. Kept apart so ``engine.py`` holds only what changes
state (the half-steps, ``run``, ``set_parameters``, ``rewind``) and its bookkeeping.
"""

from __future__ import annotations

import numpy as np

from .parameters import MixtureParameters
from .record import EMRecord, History


class EngineState:
    """Mixin: read-only views of an engine. Expects ``_X``, ``_sample_weight``, ``_params``,
    ``_n_iter``, ``_converged``, ``_stats``, ``_history``, ``_resp``, ``_resp_record``,
    ``_flush()`` and ``_responsibilities()`` on the instance."""


    @property
    def X(self) -> np.ndarray:
        """The data as a read-only (n_samples, n_features) float64 array (or dask array)."""
        return self._X

    @property
    def sample_weight(self):
        """The rows' weights (read-only), or None when every row counts once."""
        return self._sample_weight

    @property
    def params(self) -> MixtureParameters:
        return self._params

    @property
    def weights(self):
        return self._params.weights

    @property
    def means(self):
        return self._params.means

    @property
    def covariances(self):
        return self._params.covariances

    @property
    def precisions_cholesky(self):
        return self._params.precisions_cholesky

    @property
    def n_iter(self) -> int:
        """Completed iterations (E-step + M-step pairs)."""
        return self._n_iter

    @property
    def converged(self) -> bool:
        return self._converged

    @property
    def next_phase(self) -> str:
        """"E" or "M": which half-step comes next."""
        return "M" if self._stats is not None else "E"

    @property
    def history(self) -> History:
        self._flush()
        return History(self._history)

    @property
    def mean_log_likelihoods(self) -> tuple[float, ...]:
        """Mean log-likelihood seen at every E-step of the history, oldest first.

        What scikit-learn's ``lower_bounds_`` holds; reading it needs no pass over the data
        (unlike ``history`` after ``run(finalize=False)``).
        """
        return tuple(r.mean_log_likelihood for r in self._history if r.phase == "E")

    @property
    def current(self) -> EMRecord:
        """The latest record."""
        self._flush()
        return self._history[-1]

    @property
    def log_likelihood(self) -> float:
        """Total log-likelihood of the data under the current parameters."""
        return self.current.log_likelihood

    @property
    def responsibilities(self):
        """Responsibilities in force, (n_samples, K): from the latest E-step; None before."""
        if self._resp_record is None:
            return None
        if self._resp is None:
            self._resp = self._responsibilities(self._history[self._resp_record].params)
        return self._resp
