"""The Lesson's pictures: pure Plotly figure builders (no Streamlit)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from gmm_core.lesson import Mixture1D, gaussian_pdf, mixture_terms
from ui.palette import NEUTRAL, component_color, rgba

HEIGHT = 330


def _layout(fig: go.Figure, title: str, *, x_title="x", y_title="density", height=HEIGHT):
    # the title on the first line, the legend on its own line under it (never overlapping)
    fig.update_layout(title=dict(text=title, y=0.99, yanchor="top"), height=height,
                      margin=dict(l=50, r=20, t=72, b=40), xaxis_title=x_title,
                      yaxis_title=y_title, legend=dict(orientation="h", yanchor="bottom",
                                                       y=1.0, x=0, xanchor="left"))
    return fig


def grid(lo=-6.0, hi=6.0, n=400):
    return np.linspace(lo, hi, n)


def gaussian_figure(mu: float, sigma: float, x0: float) -> go.Figure:
    """Stop 1: the bell curve, its ±1σ and ±2σ bands and the point x₀."""
    xs = grid(min(-6, mu - 4 * sigma), max(6, mu + 4 * sigma))
    ys = gaussian_pdf(xs, mu, sigma)
    fig = go.Figure()
    for n, alpha in ((2, 0.15), (1, 0.3)):
        band = (xs >= mu - n * sigma) & (xs <= mu + n * sigma)
        fig.add_trace(go.Scatter(x=xs[band], y=ys[band], fill="tozeroy", mode="none",
                                 fillcolor=rgba(component_color(0), alpha), name=f"μ ± {n}σ"))
    fig.add_trace(go.Scatter(x=xs, y=ys, line=dict(color=component_color(0), width=3),
                             name="f(x | μ, σ²)"))
    fig.add_trace(go.Scatter(x=[x0], y=[float(gaussian_pdf(x0, mu, sigma))], mode="markers",
                             marker=dict(size=12, color="black"), name="f(x₀ | μ, σ²)"))
    return _layout(fig, "A Gaussian")


def mixture_figure(mix: Mixture1D, x0: float) -> go.Figure:
    """Stop 2: each π_i N(x | μ_i, σ_i²), their sum p(x | λ), and the point x₀."""
    xs = grid()
    terms = mixture_terms(xs, mix)
    fig = go.Figure()
    for i, t in enumerate(terms):
        fig.add_trace(go.Scatter(x=xs, y=t, line=dict(color=component_color(i), dash="dash"),
                                 name=f"π{_sub(i + 1)} N(x | μ{_sub(i + 1)}, σ{_sub(i + 1)}²)"))
    fig.add_trace(go.Scatter(x=xs, y=terms.sum(axis=0), line=dict(color="black", width=3),
                             name="p(x | λ)"))
    at = mixture_terms(x0, mix)
    fig.add_trace(go.Scatter(x=[x0] * (len(at) + 1), y=[*at, at.sum()], mode="markers",
                             marker=dict(size=10, color=[*map(component_color, range(len(at))),
                                                         "black"]), showlegend=False))
    return _layout(fig, "A mixture is a weighted sum")


def _sub(i: int) -> str:
    return "".join("₀₁₂₃₄₅₆₇₈₉"[int(c)] for c in str(i))


def latent_histogram(x, z, k: int, coloured: bool) -> go.Figure:
    """Stop 3: the drawn points' histogram, stacked by component z, or all grey."""
    fig = go.Figure()
    bins = dict(start=-6, end=6, size=0.4)
    if coloured:
        for c in range(k):
            fig.add_trace(go.Histogram(x=x[z == c], xbins=bins, name=f"z = {c + 1}",
                                       marker_color=component_color(c)))
    else:
        fig.add_trace(go.Histogram(x=x, xbins=bins, name="x (z unknown)", marker_color=NEUTRAL))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[-6, 6])
    title = "Drawn points by component" if coloured else "This is what EM sees"
    return _layout(fig, title, y_title="count")


def data_figure(x, mix: Mixture1D, *, gamma=None, marked=None, title="", means=(),
                height=HEIGHT) -> go.Figure:
    """Stops 4–6: the data on the axis (coloured by γ if given), each π_z N(x | μ_z, σ_z²),
    a marked point, and extra vertical markers ``means``: (x, label, colour, dash)."""
    xs = grid()
    fig = go.Figure()
    for i, t in enumerate(mixture_terms(xs, mix)):
        fig.add_trace(go.Scatter(x=xs, y=t, line=dict(color=component_color(i)),
                                 name=f"π{_sub(i + 1)} N(x | μ{_sub(i + 1)}, σ{_sub(i + 1)}²)"))
    colours = NEUTRAL if gamma is None else _blend(np.asarray(gamma))
    fig.add_trace(go.Scatter(x=x, y=np.full(len(x), -0.02), mode="markers", name="data",
                             marker=dict(color=colours, size=9, symbol="line-ns-open",
                                         line=dict(width=2, color=colours))))
    if marked is not None:
        fig.add_trace(go.Scatter(x=[marked], y=[-0.02], mode="markers", name="your point",
                                 marker=dict(size=16, color="black", symbol="triangle-up")))
    rows = {"dot": 0.97, "dash": 0.84, "solid": 0.71}  # old, guessed, new: one row each
    for pos, label, colour, dash in means:
        fig.add_vline(x=pos, line=dict(color=colour, dash=dash, width=2))
        fig.add_annotation(x=pos, y=rows.get(dash, 0.97), yref="paper", text=label,
                           showarrow=False, font=dict(color=colour), bgcolor="white")
    return _layout(fig, title, height=height)


def _blend(gamma: np.ndarray) -> list[str]:
    """Each point's colour: its γ_1i share of component 1's colour, the rest component 2's."""
    a, b = (np.array([int(component_color(c)[j:j + 2], 16) for j in (1, 3, 5)])
            for c in (0, 1))
    return ["#" + "".join(f"{int(v):02x}" for v in g * a + (1 - g) * b)
            for g in gamma[:, 0]]


def log_likelihood_figure(lls, shown: int) -> go.Figure:
    """Stop 6: the log-likelihood per iteration up to ``shown``."""
    it = list(range(shown + 1))
    fig = go.Figure(go.Scatter(x=it, y=lls[:shown + 1], mode="lines+markers",
                               line=dict(color="black"), name="log p(x | λ)"))
    fig.update_xaxes(range=[-0.5, max(len(lls), 2) - 0.5], dtick=max(1, len(lls) // 10))
    return _layout(fig, "Log-likelihood after each iteration", x_title="iteration",
                   y_title="log-likelihood", height=280)


def dots_figure(labels, values, title: str, y_title: str, colours=None) -> go.Figure:
    fig = go.Figure(go.Scatter(x=labels, y=values, mode="markers+text",
                               marker=dict(size=16, color=colours or component_color(0)),
                               text=[f"{v:,.1f}" for v in values], textposition="top center",
                               showlegend=False))
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.25 + 1
    fig.update_yaxes(range=[lo - pad, hi + pad])
    return _layout(fig, title, x_title="", y_title=y_title, height=300)


def lines_figure(x, series: dict, title: str, x_title: str, y_title: str, log_x=False):
    fig = go.Figure([go.Scatter(x=x, y=y, mode="lines+markers", name=name,
                                line=dict(color=component_color(i)))
                     for i, (name, y) in enumerate(series.items())])
    if log_x:  # σ shrinks to the right
        fig.update_xaxes(type="log", autorange="reversed", exponentformat="power")
    return _layout(fig, title, x_title=x_title, y_title=y_title, height=300)


def ellipses_figure(X, fits: dict) -> go.Figure:
    """Stop 9: one 1σ/2σ ellipse set per covariance type, side by side in one chart."""
    from plotly.subplots import make_subplots

    from ui.figures import ellipse_xy

    fig = make_subplots(rows=2, cols=2, subplot_titles=list(fits), vertical_spacing=0.12)
    for n, (_name, (means, covs)) in enumerate(fits.items()):
        row, col = divmod(n, 2)
        row, col = row + 1, col + 1
        fig.add_trace(go.Scattergl(x=X[:, 0], y=X[:, 1], mode="markers", showlegend=False,
                                   marker=dict(size=3, color=NEUTRAL)), row=row, col=col)
        for z, (m, c) in enumerate(zip(means, covs)):
            for n_sigma in (1, 2):
                ex, ey = ellipse_xy(m, c, n_sigma=n_sigma)
                fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", showlegend=False,
                                         line=dict(color=component_color(z), width=2)),
                              row=row, col=col)
    for n in range(len(fits)):  # equal scales: a circle looks like a circle
        row, col = divmod(n, 2)
        fig.update_yaxes(scaleanchor=f"x{n + 1 if n else ''}", scaleratio=1, row=row + 1,
                         col=col + 1)
    fig.update_layout(height=520, margin=dict(l=30, r=10, t=40, b=30))
    return fig


def gaussian_mass_text(n: int) -> str:
    return f"{100 * math.erf(n / math.sqrt(2)):.2f} %"
