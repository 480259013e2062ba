"""The only code of :class:`gmm_core.engine.EMEngine` that touches the data ``X``: checking
it and the weights, the start, and the passes (E-step statistics, responsibilities, the
log-likelihood, the ELBO). :class:`gmm_core.dask_backend.DaskEMEngine` overrides these to run
on a dask array's blocks, so the stepping, history and rewinding in ``engine.py`` serve both.
"""

from __future__ import annotations

import numpy as np

from . import _validation as v
from .estep import default_chunk_size, estep
from .estep_tied import POOLED_MIN_FEATURES, estep_pooled_tied
from .mstep import lower_bound
from .starts import initial_parameters


class DataPasses:
    """Mixin: the data-facing half of an EM engine. Expects ``n_components``,
    ``n_samples``, ``covariance_type``, ``init``, ``reg_covar``, ``chunk_size``, ``_X``,
    ``_sample_weight``, ``_data_scale`` and ``responsibilities`` on the instance."""

    def _check_data(self, X):
        """``X`` validated, read-only, and its largest |x|."""
        X = v.check_data(X, self.n_components)
        X.setflags(write=False)
        return X, max(float(X.max()), -float(X.min()))

    def _check_sample_weight(self, sample_weight):
        """Checked weights (or None); sets ``_weight_total``."""
        w = v.check_sample_weight(sample_weight, self.n_samples)
        if w is not None:
            self._weight_total = float(w.sum())
            v.check_positive_weight_rows(int(np.count_nonzero(w)), self.n_components)
        return w

    def _initial_parameters(self, random_state, weights_init, means_init, precisions_init):
        return initial_parameters(self._X, self.n_components, self.covariance_type, self.init,
                                  random_state, self.reg_covar, self._data_scale,
                                  weights_init, means_init, precisions_init,
                                  self._sample_weight)

    def _pass(self, params, *, keep_responsibilities):
        """E-step statistics under ``params``, and the responsibilities if asked (else None)."""
        resp = None
        if keep_responsibilities:
            resp = np.empty((self.n_samples, self.n_components))
        elif (self.covariance_type == "tied" and self.n_features >= POOLED_MIN_FEATURES
              and not self.frozen):
            # run()'s passes: the M-step is all that reads these statistics
            chunk = self.chunk_size or default_chunk_size(self.n_components, self.n_features)
            return estep_pooled_tied(self._X, params, chunk, self._sample_weight), None
        stats = estep(self._X, params, responsibilities_out=resp, chunk_size=self.chunk_size,
                      sample_weight=self._sample_weight)
        if resp is not None:
            resp.setflags(write=False)
        return stats, resp

    def _lower_bound(self, new_params):
        """ELBO of ``new_params`` with the responsibilities in force, and their log-likelihood."""
        return lower_bound(self._X, new_params, self.responsibilities, self.chunk_size,
                           self._sample_weight)

    def _log_likelihood(self, params) -> float:
        if self._sample_weight is None:
            return params.log_likelihood(self._X)
        return float(params.score_samples(self._X) @ self._sample_weight)

    def _responsibilities(self, params):
        resp = params.responsibilities(self._X)
        resp.setflags(write=False)
        return resp
