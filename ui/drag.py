"""What the live chart's "Grab a component" layer needs (issue 22; the JS is
``live_chart_frontend/drag.js``): the data and the parameters, sent once per figure, and the
indices of the traces it restyles while a component is dragged.

Only a page that turns grabbing on calls this: with no ``drag`` argument the chart sends and
computes nothing more (Step by step's click-to-update is not slowed).
"""

from __future__ import annotations

import hashlib

import numpy as np
import plotly.graph_objects as go

from gmm_core import MixtureParameters

from .palette import component_color, rgb_array

#: Above this many points the chart draws a sample (ui.figures.base.MAX_DRAWN_POINTS) and
#: the points could not be recoloured one for one: no grabbing there.
MAX_GRAB_POINTS = 20_000

#: What each covariance type lets the handles do (the page says it under the chart too).
CONSTRAINTS = {
    "full": "the two dots on each 1σ ellipse are its principal axes: drag them to stretch "
            "and turn it.",
    "tied": "tied: all components share one Σ, so stretching or turning one ellipse changes "
            "them all.",
    "diag": "diag: the axes stay along x and y; the dots stretch the ellipse along x or y "
            "only (no turning).",
    "spherical": "spherical: each component stays a circle; either dot changes its radius.",
}


def _names(fig: go.Figure):
    return [getattr(t, "name", None) for t in fig.data]


def trace_indices(fig: go.Figure, n_components: int, d: int) -> dict:
    """The indices of the traces drag.js restyles, found by the figure builders' names
    (``ui.figures.mixture`` / ``density_1d``); -1 where a trace is absent."""
    names = _names(fig)

    def find(name):
        return names.index(name) if name in names else -1

    if d == 2:
        ellipses = []
        for i, name in enumerate(names):
            for c in range(n_components):
                prefix = f"component {c + 1} "
                if name and name.startswith(prefix) and name.endswith("σ"):
                    ellipses.append({"index": i, "component": c,
                                     "sigma": float(name[len(prefix):-1])})
        means = [next((i for i, nm in enumerate(names)
                       if nm and nm.startswith(f"{c + 1}: π=")), -1)
                 for c in range(n_components)]
        points = find("data")
        marker = fig.data[points].marker if points >= 0 else None
        size = marker.size if marker is not None and np.isscalar(marker.size) else 6.0
        opacity = marker.opacity if marker is not None and marker.opacity is not None else 0.6
        return {"points": points, "ellipses": ellipses, "mean_traces": means,
                "marker_size": float(size), "marker_opacity": float(opacity)}
    curves = [find(f"π{c + 1}·N(x | μ{c + 1}, σ{c + 1}²)") for c in range(n_components)]
    grid = fig.data[curves[0]].x if curves and curves[0] >= 0 else []
    return {"points": find("data points"), "curves": curves, "mixture": find("mixture p(x)"),
            "gamma_bands": [find(f"γ{c + 1}(x)") for c in range(n_components)],
            "grid": [float(v) for v in grid]}


def drag_args(fig: go.Figure, X: np.ndarray, params: MixtureParameters, log_likelihood: float,
              gamma_in_force=None, *, revision, hint: str = "") -> dict:
    """Keyword arguments for ``live_chart(..., drag=...)``: the spec (JSON), the data and
    the γ in force (for the lower bound) as float64 bytes (exact, no text parsing)."""
    n, d = X.shape
    k = params.n_components
    covs = params.full_covariances()
    span = float(np.max(X.max(axis=0) - X.min(axis=0))) or 1.0
    spec = {
        "n": n, "d": d, "covariance_type": params.covariance_type,
        "weights": params.weights.tolist(), "means": params.means.tolist(),
        "covs": [c.reshape(-1).tolist() for c in covs],
        "colors": [component_color(c) for c in range(k)],
        "rgb": rgb_array(k).tolist(),
        "log_likelihood": float(log_likelihood), "min_sigma": 1e-3 * span,
        "revision": str(revision), "hint": hint,
        **trace_indices(fig, k, d),
    }
    x = np.ascontiguousarray(X, dtype=np.float64).tobytes()
    gamma = (None if gamma_in_force is None
             else np.ascontiguousarray(gamma_in_force, dtype=np.float64).tobytes())
    digest = hashlib.blake2b(repr(spec).encode() + x, digest_size=10).hexdigest()
    spec["digest"] = digest
    return {"drag": spec, "drag_x": x, "drag_gamma": gamma}


def parameters_from_drop(drop: dict, covariance_type: str) -> MixtureParameters:
    """The parameters drag.js sent on release (full d × d covariances), in the run's
    covariance type: tied keeps the one shared Σ, diag the diagonals, spherical the mean
    variance (drag.js already keeps each type's shape; this only changes the layout).

    Raises ValueError when they are not a valid mixture (not positive-definite and so on).
    """
    weights = np.asarray(drop["weights"], dtype=float)
    means = np.asarray(drop["means"], dtype=float)
    k, d = means.shape
    covs = np.asarray(drop["covs"], dtype=float).reshape(k, d, d)
    if covariance_type == "tied":
        cov = covs[0]
    elif covariance_type == "diag":
        cov = np.array([np.diag(c) for c in covs])
    elif covariance_type == "spherical":
        cov = np.array([np.trace(c) / d for c in covs])
    else:
        cov = covs
    return MixtureParameters.from_covariances(weights / weights.sum(), means, cov,
                                              covariance_type)
