"""SQUAREM: EM accelerated towards a maximum of the likelihood (Varadhan & Roland 2008).

Model selection reads its criteria at each model's maximum (``lab_maths.criteria``): every
fit goes on from its ``tol`` stop with this, then plain EM certifies the fixed point
(:func:`gmm_core.convergence.check_stop`). It runs the E- and M-steps directly, not through
an :class:`~gmm_core.EMEngine` (no history, no checks of a start it made itself), and uses
each E-step twice: its log-likelihood is the one of the parameters it ran on, and its
statistics give the next EM step. So a cycle costs two passes over the data, four with an
extrapolation (three and five through an engine, whose run ends with one more pass for the
last log-likelihood).
"""

from __future__ import annotations

import numpy as np

from .estep import estep
from .mstep import mstep
from .parameters import MixtureParameters

#: Cycles (two EM steps, and an extrapolation) at most.
MAX_CYCLES = 200
#: The first bound on |α| (SQUAREM's step.max0). It grows 4× each time α reaches it and
#: shrinks 4× (not below this) when an extrapolation is rejected, as in the R package.
#: Measured on Model selection's grid (1,000 overlapping blobs, 40 models): 4 without the
#: shrinking took 10,827 passes, and 4 of its 40 maxima were not plain EM's (two lower);
#: 1 / 2 / 4 with it 9,180 / 9,060 / 9,361 passes, and only with 2 were the maxima
#: plain EM's or higher (higher in 2 cells: K = 8 full, 10 diag) — hence 2.
STEP_MAX0 = 2.0


def _em(X, params, reg_covar, data_scale):
    """One pass at ``params``: their log-likelihood and the parameters of the next EM step."""
    stats = estep(X, params)
    step = mstep(stats, params.covariance_type, reg_covar, data_scale, floor_singular=True)
    return stats.log_likelihood, step.params


def _vector(p):
    return [p.weights, p.means, p.covariances]


def _step_length(p0, p1, p2, max_step):
    """SqS3's α = −‖r‖/‖v‖ (r = θ1 − θ0, v = θ2 − 2θ1 + θ0), its bound, and r, v."""
    a, b, c = _vector(p0), _vector(p1), _vector(p2)
    r = [y - x for x, y in zip(a, b)]
    v = [z - 2 * y + x for x, y, z in zip(a, b, c)]
    norm_r = np.sqrt(sum(float((u * u).sum()) for u in r))
    norm_v = np.sqrt(sum(float((u * u).sum()) for u in v))
    alpha = -norm_r / norm_v if norm_v > 0 else -1.0
    if alpha <= -max_step:
        alpha, max_step = -max_step, 4 * max_step
    return alpha, max_step, a, r, v


def _jump(a, r, v, alpha, covariance_type):
    """θ' = θ0 − 2αr + α²v as a mixture, or None when it is not one (a weight ≤ 0, or a
    covariance that is not positive-definite)."""
    w, m, cov = (x - 2 * alpha * dr + alpha**2 * dv for x, dr, dv in zip(a, r, v))
    if not (w > 0).all():
        return None
    try:
        return MixtureParameters.from_covariances(w / w.sum(), m, cov, covariance_type)
    except ValueError:
        return None


def squarem(X, params: MixtureParameters, *, reg_covar=1e-6, tol=1e-9,
            max_cycles=MAX_CYCLES) -> tuple[MixtureParameters, int]:
    """Accelerated EM from ``params`` towards the maximum (SQUAREM, scheme SqS3), monotone.

    Each cycle takes two EM steps θ0 → θ1 → θ2, extrapolates θ' = θ0 − 2αr + α²v
    (r = θ1 − θ0, v = θ2 − 2θ1 + θ0, α = −‖r‖/‖v‖, |α| at most a step bound that starts
    at ``STEP_MAX0`` and grows 4× each time it is reached, and shrinks 4× after a rejected
    extrapolation, as SQUAREM's step.max) and keeps EM(θ') only if its log-likelihood is at
    least θ2's (and θ' is a valid mixture); otherwise θ2. Stops
    as soon as two plain EM steps gain less than ``tol`` per sample: at (or next to) a fixed
    point of EM nothing is extrapolated, so it never leaves the fixed point EM stopped at
    (noise in r and v would otherwise make a wild jump).

    Parameters
    ----------
    X : ndarray of shape (n, d), float64
    params : MixtureParameters
        The start (a ``tol`` stop).
    reg_covar : float
        The fit's own reg_covar (the same objective).
    tol : float
        Gain of the mean log-likelihood over two EM steps below which it stops.
    max_cycles : int

    Returns
    -------
    (MixtureParameters, int)
        The parameters and the passes over the data used.

    Raises
    ------
    ValueError
        When an EM step fails (a component collapsing with reg_covar = 0), as EM would.
    """
    X = np.ascontiguousarray(X, dtype=np.float64)
    n = len(X)
    # The engine's rounding-noise scale for a singular covariance (see EMEngine).
    biggest = float(np.abs(X).max()) if X.size else 0.0
    data_scale = max((100 * np.finfo(float).eps * biggest) ** 2, np.finfo(float).tiny)
    ll0, p1 = _em(X, params, reg_covar, data_scale)
    passes, max_step = 1, STEP_MAX0
    for _ in range(max_cycles):
        p0 = params
        _, p2 = _em(X, p1, reg_covar, data_scale)
        ll2, p3 = _em(X, p2, reg_covar, data_scale)
        passes += 2
        if (ll2 - ll0) / n < tol:
            return p2, passes
        alpha, max_step, a, r, v = _step_length(p0, p1, p2, max_step)
        # θ2, whose EM step (p3) is already known, unless the extrapolation does better.
        params, ll0, p1 = p2, ll2, p3
        jump = _jump(a, r, v, alpha, p0.covariance_type) if alpha < -1 else None
        if jump is None:
            continue
        try:
            _, stable = _em(X, jump, reg_covar, data_scale)
            passes += 1
            ll, after = _em(X, stable, reg_covar, data_scale)
            passes += 1
        except ValueError:  # a collapse on the way: keep plain EM
            continue
        if ll >= ll2:
            params, ll0, p1 = stable, ll, after
        else:  # too long a step: shorten the next ones
            max_step = max(STEP_MAX0, max_step / 4)
    return params, passes
