"""The maths of the Lesson page, for 1-D data, in the article's notation.

Densities are written out from the article's formula; the E-step and M-step call the plain
textbook versions in :mod:`gmm_core.reference` (the tests check both against SciPy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gmm_core import reference


@dataclass(frozen=True)
class Mixture1D:
    """A 1-D mixture λ: weights π_z, means μ_z and variances σ_z²."""

    weights: tuple[float, ...]
    means: tuple[float, ...]
    variances: tuple[float, ...]

    @property
    def k(self) -> int:
        return len(self.weights)


#: The mixture the lesson's data is drawn from (stops 3–6).
TRUE_MIXTURE = Mixture1D(weights=(0.6, 0.4), means=(-2.0, 2.0), variances=(0.64, 1.44))
#: Where EM starts on the lesson's data (stops 4–6): deliberately off.
START = Mixture1D(weights=(0.5, 0.5), means=(-0.5, 0.5), variances=(1.0, 1.0))


def gaussian_pdf(x, mu: float, sigma: float):
    """f(x | μ, σ²) = 1 / sqrt(2π σ²) · exp(−(x − μ)² / (2σ²))."""
    x = np.asarray(x, dtype=float)
    var = sigma ** 2
    return np.exp(-(x - mu) ** 2 / (2 * var)) / math.sqrt(2 * math.pi * var)


def mass_within(n_sigma: float) -> float:
    """The share of a Gaussian's mass within μ ± n_sigma·σ (the same for every μ, σ)."""
    return math.erf(n_sigma / math.sqrt(2))


def rebalance(weights, changed: int, value: float) -> list[float]:
    """Weights that sum to 1 with weight ``changed`` set to ``value`` (clipped to [0, 1]):
    the others are scaled to share 1 − value as before (equally if they were all 0)."""
    w = [float(v) for v in weights]
    value = min(max(float(value), 0.0), 1.0)
    others = [i for i in range(len(w)) if i != changed]
    rest = sum(w[i] for i in others)
    for i in others:
        w[i] = (1 - value) * (w[i] / rest if rest > 0 else 1 / len(others))
    w[changed] = value
    return w


def mixture_terms(x, mix: Mixture1D) -> np.ndarray:
    """π_z N(x | μ_z, σ_z²) for each component z: shape (K,) + shape of x."""
    return np.array([p * gaussian_pdf(x, m, math.sqrt(v))
                     for p, m, v in zip(mix.weights, mix.means, mix.variances)])


def draw_latent(mix: Mixture1D, n: int, seed: int = 0):
    """n draws the article's way, with the uniform numbers u behind each z: z is the first
    component whose cumulative π exceeds u (z = 1 when u < π_1, …), then x ~ N(μ_z, σ_z²).
    The same draws as ``rng.choice(K, p=π)`` followed by ``rng.normal``."""
    rng = np.random.default_rng(seed)
    cdf = np.cumsum(mix.weights)
    u = rng.random(n)
    z = np.searchsorted(cdf / cdf[-1], u, side="right")
    x = rng.normal(np.asarray(mix.means)[z], np.sqrt(np.asarray(mix.variances))[z])
    return u, z, x


def sample_latent(mix: Mixture1D, n: int, seed: int = 0):
    """n draws the article's way: z with probability π, then x ~ N(μ_z, σ_z²)."""
    _, z, x = draw_latent(mix, n, seed)
    return z, x


def lesson_data(n: int = 60, seed: int = 3) -> np.ndarray:
    """The lesson's 1-D data: n draws of TRUE_MIXTURE (its labels are what EM never sees)."""
    return np.round(sample_latent(TRUE_MIXTURE, n, seed)[1], 2)


def e_step(x, mix: Mixture1D):
    """γ_zi for every point (shape (n, K)) and the log-likelihood Σ_i log p(x_i | λ)."""
    X = np.asarray(x, dtype=float).reshape(-1, 1)
    return reference.e_step(X, np.asarray(mix.weights), np.asarray(mix.means).reshape(-1, 1),
                            np.asarray(mix.variances), "spherical")


@dataclass(frozen=True)
class MStep:
    n_z: np.ndarray  # N_z = Σ_i γ_zi
    mixture: Mixture1D  # the new π_z, μ_z, σ_z²


def m_step(x, gamma) -> MStep:
    """N_z, and the new μ_z, σ_z², π_z from the responsibilities γ (shape (n, K))."""
    X = np.asarray(x, dtype=float).reshape(-1, 1)
    gamma = np.asarray(gamma, dtype=float)
    weights, means, variances = reference.m_step(X, gamma, "spherical")
    return MStep(gamma.sum(axis=0), Mixture1D(tuple(weights), tuple(means[:, 0]),
                                              tuple(variances)))
