"""The pictures of stops 6–10: pure Plotly figure builders (no Streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lab_maths.lesson import Mixture1D, mixture_terms
from ui.formulas import subscript
from ui.palette import NEUTRAL, component_color, rgba

from .figures import _layout, component_name, grid

GUESS = "#CC79A7"  # Okabe-Ito reddish purple: the learner's guess on every chart


def iterate_figure(run, shown: int, y_range, guess=None, old_guess=None) -> go.Figure:
    """Stop 6: log p(x | λ_t) for t ≤ shown (black), the lower bound's path (dotted: raised
    by each M-step to below the new log L, then touching it at the next E-step), and the
    guess as a dashed line across the chart at the height the slider says."""
    lls = run.log_likelihoods
    it = list(range(shown + 1))
    fig = go.Figure()
    bx, by = [0], [lls[0]]
    for t in range(1, shown + 1):
        bx += [t, t]
        by += [run.bounds[t], lls[t]]  # after M-step t, then at E-step t + 1: touching
    fig.add_trace(go.Scatter(x=bx, y=by, mode="lines+markers", name="lower bound",
                             line=dict(color=component_color(1), dash="dot", width=2),
                             marker=dict(size=6, symbol="circle-open")))
    fig.add_trace(go.Scatter(x=it, y=lls[:shown + 1], mode="lines+markers",
                             line=dict(color="black"), name="log p(x | λ)"))
    last = len(lls) - 1
    right = max(last, shown + 5) if y_range is not None else last  # room for the guess ahead
    for value, text in ((guess, "your guess"), (old_guess, "your guess")):
        if value is not None:
            fig.add_hline(y=value, line=dict(color=GUESS, dash="dash", width=3))
            fig.add_annotation(x=0, xref="x", y=value, text=f"{text}: {value:.1f}",
                               showarrow=False, yshift=10, xanchor="left",
                               font=dict(color=GUESS))
    fig.update_xaxes(range=[-0.5, right + 0.5], dtick=1 if right <= 12 else 2)
    if y_range is not None:  # while asking: the slider's range, so the chart gives nothing
        lo, hi = y_range     # away; otherwise fitted to what is drawn, the gaps visible
        fig.update_yaxes(range=[min(lo, min(lls[:shown + 1])) - 2, hi])
    fig.update_layout(dragmode=False)
    return _layout(fig, "log-likelihood and its lower bound, by iteration",
                   x_title="iteration t", y_title="log p(x | λ)", height=300)


def _histogram(fig, x, *, width=0.4, name="data", row=None, col=None):
    x = np.ravel(x)
    kw = {} if row is None else dict(row=row, col=col)
    fig.add_trace(go.Histogram(x=x, xbins=dict(start=-8, end=8, size=width), name=name,
                               histnorm="probability density", marker_color=rgba(NEUTRAL, 0.55),
                               hoverinfo="skip"), **kw)


def starts_figure(x, starts: list[Mixture1D], names) -> go.Figure:
    """Stop 7: the data's histogram and each start's three means as a row of markers."""
    fig = go.Figure()
    _histogram(fig, x)
    top = 0.42
    for s, (mix, name) in enumerate(zip(starts, names)):
        y = top - 0.09 * s
        fig.add_trace(go.Scatter(x=list(mix.means), y=[y] * mix.k, mode="markers+text",
                                 text=[f"{name[-1]}{subscript(z + 1)}" for z in range(mix.k)],
                                 # alternate sides: two means close together stay legible
                                 textposition=["top left", "top right", "top center"],
                                 name=name, cliponaxis=False,
                                 marker=dict(size=14, symbol=("circle", "square",
                                                              "diamond")[s],
                                             color=component_color(s + 2))))
    fig.update_xaxes(range=[-6, 6])
    fig.update_yaxes(range=[0, 0.5])
    fig.update_layout(dragmode=False)
    return _layout(fig, "The data and three starts (their means μ₁, μ₂, μ₃)",
                   y_title="density", height=300)


def run_panel_figure(x, mix: Mixture1D, title: str, colour: str) -> go.Figure:
    """Stop 7: one run at one iteration: the histogram and its mixture's density."""
    fig = go.Figure()
    _histogram(fig, x)
    xs = grid()
    fig.add_trace(go.Scatter(x=xs, y=mixture_terms(xs, mix).sum(axis=0), name="p(x | λ)",
                             line=dict(color=colour, width=3), hoverinfo="skip"))
    fig.update_xaxes(range=[-6, 6])
    fig.update_yaxes(range=[0, 0.6])
    fig.update_layout(showlegend=False, dragmode=False, margin=dict(l=40, r=10, t=50, b=40))
    return _layout(fig, title, height=230)


def modes_figure(x, separation: float) -> go.Figure:
    """Stop 8: the data whose K is asked."""
    fig = go.Figure()
    _histogram(fig, x, width=0.5)
    fig.update_layout(showlegend=False, dragmode=False)
    return _layout(fig, f"{len(x)} points: three equal modes {separation:g} apart (σ = 1)",
                   height=260)


def k_curves_figure(curves, best_bic: int, best_aic: int) -> go.Figure:
    """Stop 8, each curve as its change from K = 1 (one scale for all): −2 log L falls as K
    grows (the fit), the penalty p ln n rises, and their sum BIC has a lowest point; AIC
    dashed."""
    ks = list(curves.ks)

    def change(values):
        return [v - values[0] for v in values]

    fit = [-2 * v for v in curves.log_likelihood]
    series = (("−2 log L (fit)", change(fit), "solid", 0),
              ("penalty p ln n", change(curves.penalty), "solid", 2),
              ("BIC = −2 log L + p ln n", change(curves.bic), "solid", 1),
              ("AIC = −2 log L + 2p", change(curves.aic), "dash", 4))
    fig = go.Figure([go.Scatter(x=ks, y=y, name=name, mode="lines+markers",
                                line=dict(color=component_color(c), dash=dash, width=3))
                     for name, y, dash, c in series])
    for k, y, text, c, ay in ((best_bic, series[2][1][best_bic], "lowest BIC", 1, -36),
                              (best_aic, series[3][1][best_aic], "lowest AIC", 4, 36)):
        fig.add_annotation(x=ks[k], y=y, text=text, font=dict(color=component_color(c)),
                           showarrow=True, arrowhead=2, ay=ay, bgcolor="white")
    fig.update_xaxes(dtick=1)
    fig = _layout(fig, "Fit, penalty and BIC: change from K = 1",
                  x_title="K", y_title="change from K = 1 (lower: better)", height=400)
    fig.update_layout(dragmode=False, margin=dict(b=120),
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return fig


def scatter_figure(X, title: str) -> go.Figure:
    """Stop 9: the 2-D data whose covariance type is asked (equal axis scales)."""
    fig = go.Figure(go.Scattergl(x=X[:, 0], y=X[:, 1], mode="markers", hoverinfo="skip",
                                 marker=dict(size=4, color=NEUTRAL)))
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    fig.update_xaxes(constrain="domain")  # equal scales by a narrower plot, not a wider range
    fig.update_layout(showlegend=False, dragmode=False)
    return _layout(fig, title, x_title="x₁", y_title="x₂", height=290)


def collapse_figure(x, mix: Mixture1D, point: float) -> go.Figure:
    """Stop 10: p(x | λ) on a log scale, with the third component's spike drawn at its own
    scale (a grid of ±5σ around the point, so even σ = 10⁻³⁰ is a visible spike). The title
    gives its variance, σ² + reg_covar."""
    sigma = float(np.sqrt(mix.variances[-1]))
    xs = np.sort(np.concatenate([grid(), point + sigma * np.linspace(-5, 5, 41)]))
    terms = mixture_terms(xs, mix)
    fig = go.Figure()
    for z, t in enumerate(terms):
        fig.add_trace(go.Scatter(x=xs, y=np.maximum(t, 1e-4), mode="lines", hoverinfo="skip",
                                 name=component_name(z),
                                 line=dict(color=component_color(z), dash="dash")))
    fig.add_trace(go.Scatter(x=xs, y=np.maximum(terms.sum(axis=0), 1e-4), mode="lines",
                             name="p(x | λ)", line=dict(color="black", width=2),
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=np.ravel(x), y=np.full(np.size(x), 2e-4), mode="markers",
                             name="data", hoverinfo="skip",
                             marker=dict(symbol="line-ns-open", size=9, color=NEUTRAL,
                                         line=dict(width=2, color=NEUTRAL))))
    peak = float(mixture_terms(point, mix)[-1])
    fig.add_annotation(x=point, y=np.log10(max(peak, 1e-4)), text=f"peak {peak:.3g}",
                       showarrow=True, arrowhead=2, ax=40, ay=10, bgcolor="white")
    fig.update_yaxes(type="log", range=[-4, 31], exponentformat="power")
    fig.update_xaxes(range=[-6, 6])
    fig.update_layout(dragmode=False)
    return _layout(fig, f"3rd component on x = {point:g}: variance {sigma ** 2:.0e}",
                   y_title="density (log scale)", height=330)


def collapse_ll_figure(sigmas, lls: dict, sigma_now: float, ll_now: float) -> go.Figure:
    """Stop 10: log L against σ (σ shrinking to the right), one line per reg_covar."""
    fig = go.Figure()
    for c, (name, y) in enumerate(lls.items()):
        fig.add_trace(go.Scatter(x=list(sigmas), y=y, mode="lines+markers", name=name,
                                 line=dict(color=component_color(c))))
    fig.add_trace(go.Scatter(x=[sigma_now], y=[ll_now], mode="markers", name="now",
                             marker=dict(size=16, color=GUESS, symbol="star")))
    fig.update_xaxes(type="log", autorange="reversed", exponentformat="power")
    fig.update_layout(dragmode=False)
    return _layout(fig, "log p(x | λ) as σ → 0", x_title="σ of the third component",
                   y_title="log-likelihood", height=300)
