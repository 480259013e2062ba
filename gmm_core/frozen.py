"""Frozen parameters: EM fits some of π, μ, Σ while others keep their values.

``frozen`` (one keyword of :class:`~gmm_core.EMEngine` and
:class:`~gmm_core.GaussianMixture`) is a dict with any of the keys ``"weights"``,
``"means"``, ``"covariances"``; each value is ``True`` (every component) or a list of
component indices (0-based). The frozen values are those of the start (``weights_init``,
``means_init``, ``precisions_init``, a warm start, or the ``init`` method's start). The
M-step maximises the expected complete log-likelihood over the free parameters with the
frozen ones held, so the log-likelihood still never decreases:

* weights: Σ_z N_z log π_z with the frozen π_z held and Σ_z π_z = 1 (Lagrange on the free
  ones) gives π_z = (1 − Σ_frozen π) · N_z / Σ_free N for the free components.
* means: the free μ_z = x̄_z (the weighted mean) whatever Σ_z is.
* covariances with a frozen mean m_z: Σ_z = (1/N_z) Σ_i γ_iz (x_i − m_z)(x_i − m_z)ᵀ
  = S_z / N_z + (x̄_z − m_z)(x̄_z − m_z)ᵀ, where S_z is the scatter about x̄_z (the cross
  terms vanish because Σ_i γ_iz (x_i − x̄_z) = 0). "diag" keeps its diagonal,
  "spherical" its mean, "tied" pools S_z + N_z δ_z δ_zᵀ over z.
* covariances frozen: kept as they are ("tied" shares one matrix: all or nothing).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

_KEYS = ("weights", "means", "covariances")


@dataclass(frozen=True)
class Frozen:
    """Indices of the components whose weights, means or covariances are held."""

    weights: tuple[int, ...] = ()
    means: tuple[int, ...] = ()
    covariances: tuple[int, ...] = ()

    def __bool__(self):
        return bool(self.weights or self.means or self.covariances)

    def as_dict(self) -> dict:
        """The non-empty parts, as lists (what ``frozen=`` accepts back)."""
        return {key: list(getattr(self, key)) for key in _KEYS if getattr(self, key)}


def check_frozen(frozen, n_components: int, covariance_type: str) -> Frozen:
    """``frozen`` as a :class:`Frozen`; ValueError naming the fix for anything else."""
    if frozen is None or isinstance(frozen, Frozen):
        return frozen or Frozen()
    if not isinstance(frozen, dict):
        raise ValueError(
            f"frozen must be a dict such as {{'means': [0], 'weights': True}}, got "
            f"{type(frozen).__name__}."
        )
    unknown = [key for key in frozen if key not in _KEYS]
    if unknown:
        raise ValueError(
            f"frozen has unknown key(s) {', '.join(map(repr, unknown))}: use 'weights', "
            "'means' and/or 'covariances'."
        )
    parts = {}
    for key, value in frozen.items():
        parts[key] = _indices(value, key, n_components)
    if covariance_type == "tied" and 0 < len(parts.get("covariances", ())) < n_components:
        raise ValueError(
            "covariance_type='tied' shares one covariance among all components: freeze it "
            "with frozen={'covariances': True}, not per component."
        )
    return Frozen(**parts)


def _indices(value, key, k):
    if value is True:
        return tuple(range(k))
    if value is False or value is None:
        return ()
    try:
        items = list(value)
    except TypeError:
        items = None
    if items is None or not all(isinstance(i, numbers.Integral) and not isinstance(i, bool)
                                for i in items):
        raise ValueError(
            f"frozen[{key!r}] must be True or a list of component indices (0-based), got "
            f"{value!r}."
        )
    bad = [int(i) for i in items if not 0 <= i < k]
    if bad:
        raise ValueError(
            f"frozen[{key!r}] names component(s) {bad}, but there are {k} (indices 0 to "
            f"{k - 1})."
        )
    return tuple(sorted({int(i) for i in items}))


def held_means_scatter(stats, frozen: Frozen, current, kind):
    """Means and scatter for the M-step: the frozen means held, their scatter about them."""
    means = stats.means.copy()
    scatter = stats.scatter
    if frozen.means:
        idx = list(frozen.means)
        held = current.means[idx]
        delta = stats.means[idx] - held
        scatter = scatter.copy()
        nk = stats.nk[idx]
        if kind.is_matrix:
            scatter[idx] += nk[:, None, None] * delta[:, :, None] * delta[:, None, :]
        else:
            scatter[idx] += nk[:, None] * delta**2
        means[idx] = held
    return means, scatter


def held_weights(nk, frozen: Frozen, current):
    """π from N_z with the frozen π_z held (see the module docstring)."""
    weights = nk / nk.sum()
    if frozen.weights:
        idx = list(frozen.weights)
        free = np.ones(len(nk), dtype=bool)
        free[idx] = False
        weights = np.array(current.weights, dtype=np.float64)
        if free.any():
            rest = max(1.0 - float(weights[idx].sum()), 0.0)
            weights[free] = rest * nk[free] / nk[free].sum()
    return weights


def held_covariances(covariances, frozen: Frozen, current, kind):
    """The M-step's covariances with the frozen ones put back."""
    if not frozen.covariances:
        return covariances
    if kind.name == "tied":
        return np.array(current.covariances, dtype=np.float64)
    covariances = covariances.copy()
    idx = list(frozen.covariances)
    covariances[idx] = current.covariances[idx]
    return covariances
