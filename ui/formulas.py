"""The source article's formulas as LaTeX, symbol by symbol, and with live numbers."""

from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import logsumexp

from gmm_core import EMRecord


def subscript(i: int) -> str:
    """``i`` in Unicode subscript digits (μ₁, π₁₂): the one helper of every page's labels."""
    return str(int(i)).translate(_SUBSCRIPTS)


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

E_STEP_1D = (r"\gamma_z(x_i) = \frac{\pi_z\,\mathcal{N}(x_i \mid \mu_z, \sigma_z^2)}"
             r"{\sum_{j=1}^{K} \pi_j\,\mathcal{N}(x_i \mid \mu_j, \sigma_j^2)}")
E_STEP_2D = (r"\gamma_z(\mathbf{x}_i) = \frac{\pi_z\,\mathcal{N}(\mathbf{x}_i \mid \boldsymbol"
             r"{\mu}_z, \Sigma_z)}{\sum_{j=1}^{K} \pi_j\,\mathcal{N}(\mathbf{x}_i \mid "
             r"\boldsymbol{\mu}_j, \Sigma_j)}")
# One quantity a line: at 900 px two on a line ran off the right edge (issue 9, item 8).
M_STEP_1D = (
    r"N_z = \sum_{i=1}^{N} \gamma_z(x_i), \qquad \pi_z = \frac{N_z}{N}",
    r"\mu_z = \frac{1}{N_z}\sum_{i=1}^{N} \gamma_z(x_i)\,x_i",
    r"\sigma_z^2 = \frac{1}{N_z}\sum_{i=1}^{N} \gamma_z(x_i)\,(x_i-\mu_z)^2",
)
M_STEP_2D = (
    r"N_z = \sum_{i} \gamma_z(\mathbf{x}_i), \qquad \pi_z = \frac{N_z}{N}",
    r"\boldsymbol{\mu}_z = \frac{1}{N_z}\sum_{i} \gamma_z(\mathbf{x}_i)\,\mathbf{x}_i",
    r"\Sigma_z = \frac{1}{N_z}\sum_{i} \gamma_z(\mathbf{x}_i)(\mathbf{x}_i-\boldsymbol{\mu}_z)"
    r"(\mathbf{x}_i-\boldsymbol{\mu}_z)^\top",
)


def fmt(value: float) -> str:
    """A number for LaTeX: 4 significant digits, scientific notation when tiny or huge."""
    if not np.isfinite(value):
        return r"\text{n/a}"
    if 1e3 <= abs(value) < 1e5:  # .4g would write 11,990.3 as 1.199e+04
        return f"{value:.1f}"
    if value == 0 or 1e-3 <= abs(value) < 1e3:
        return f"{value:.4g}"
    mantissa, exponent = f"{value:.3e}".split("e")
    return rf"{mantissa}\times 10^{{{int(exponent)}}}"


def vector(values) -> str:
    return r"\begin{pmatrix}" + r"\\".join(fmt(v) for v in values) + r"\end{pmatrix}"


def matrix(m) -> str:
    rows = [" & ".join(fmt(v) for v in row) for row in np.atleast_2d(m)]
    return r"\begin{pmatrix}" + r"\\".join(rows) + r"\end{pmatrix}"


def component_log_densities(x, record: EMRecord) -> np.ndarray:
    """log N(x | μ_z, Σ_z) of one point for every component (scipy.stats, for display)."""
    params = record.params
    covs = params.full_covariances()
    return np.array([
        stats.multivariate_normal(params.means[z], covs[z], allow_singular=True).logpdf(x)
        for z in range(params.n_components)
    ])


def fmt_density(log_density: float) -> str:
    """A density, as e^{…} when it is too small for float64 (far from a component)."""
    if log_density > -700:
        return fmt(float(np.exp(log_density)))
    return rf"e^{{{log_density:.1f}}}"


def e_step_terms(x, record: EMRecord):
    """Per component: π_z, log N(x | μ_z, Σ_z), log(π_z N) and γ_z, computed in log space."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    weights = np.asarray(record.weights)
    log_dens = component_log_densities(x, record)
    with np.errstate(divide="ignore"):
        log_terms = np.log(weights) + log_dens
    gamma = np.exp(log_terms - logsumexp(log_terms))  # no 0/0 for points far from all
    return weights, log_dens, log_terms, gamma


def e_step_numbers(x, index: int, record: EMRecord) -> str:
    """γ of the point's most responsible component, with this record's numbers."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    weights, log_dens, log_terms, gamma = e_step_terms(x, record)
    z = int(np.argmax(gamma))
    sym = "x" if len(x) == 1 else r"\mathbf{x}"
    return (
        rf"\gamma_{{{z + 1}}}({sym}_{{{index}}}) = "
        rf"\frac{{\pi_{{{z + 1}}}\,\mathcal{{N}}_{{{z + 1}}}}}{{\sum_j \pi_j\,\mathcal{{N}}_j}}"
        rf" = \frac{{{fmt(weights[z])} \times {fmt_density(log_dens[z])}}}"
        rf"{{{fmt_density(float(logsumexp(log_terms)))}}} = {fmt(gamma[z])}"
    )


def e_step_table(x, record: EMRecord) -> list[dict]:
    """Rows for a table of the E-step terms of one point, one row per component."""
    weights, log_dens, log_terms, gamma = e_step_terms(x, record)
    return [
        {"z": z + 1, "π_z": weights[z], "log N(x | μ_z, Σ_z)": log_dens[z],
         "log π_z N": log_terms[z], "γ_z": gamma[z]}
        for z in range(len(weights))
    ]


def m_step_numbers(record: EMRecord, z: int, n_samples: int) -> list[str]:
    """N_z, π_z, then μ_z and σ_z² (or Σ_z) of component ``z`` from an M-step record."""
    return m_step_lines(record.nk, record.params, z, n_samples)


def m_step_lines(nk, params, z: int, n_samples: int) -> list[str]:
    """The M-step formulas of component ``z`` with numbers: N_z and π_z = N_z / N, then μ_z,
    then σ_z² (or Σ_z), one short line each (long lines run off a narrow screen)."""
    count = float(nk[z]) if nk is not None else float("nan")
    cov = params.full_covariances()[z]
    k = z + 1
    lines = [rf"N_{{{k}}} = {fmt(count)}, \quad \pi_{{{k}}} = \frac{{N_{{{k}}}}}{{N}} = "
             rf"\frac{{{fmt(count)}}}{{{n_samples}}} = {fmt(params.weights[z])}"]
    if params.n_features == 1:
        lines += [rf"\mu_{{{k}}} = {fmt(params.means[z, 0])}",
                  rf"\sigma_{{{k}}}^2 = {fmt(cov[0, 0])}"]
    else:
        lines += [rf"\boldsymbol{{\mu}}_{{{k}}} = {vector(params.means[z])}",
                  rf"\Sigma_{{{k}}} = {matrix(cov)}"]
    return lines
