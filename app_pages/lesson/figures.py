"""The Lesson's pictures: pure Plotly figure builders (no Streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lab_maths.lesson import Mixture1D, gaussian_pdf, mixture_terms
from ui.formulas import subscript
from ui.palette import NEUTRAL, component_color, rgba

HEIGHT = 330


def component_name(z: int) -> str:
    """"π₁ N(x | μ₁, σ₁²)": component z's term of the mixture, for legends."""
    n = subscript(z + 1)
    return f"π{n} N(x | μ{n}, σ{n}²)"


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
                                 name=component_name(i)))
    fig.add_trace(go.Scatter(x=xs, y=terms.sum(axis=0), line=dict(color="black", width=3),
                             name="p(x | λ)"))
    at = mixture_terms(x0, mix)
    fig.add_trace(go.Scatter(x=[x0] * (len(at) + 1), y=[*at, at.sum()], mode="markers",
                             marker=dict(size=10, color=[*map(component_color, range(len(at))),
                                                         "black"]), showlegend=False))
    return _layout(fig, "A mixture is a weighted sum")


BINS = np.arange(-6.0, 6.0001, 0.4)


def latent_figure(u, z, x, n: int, z_only, mix: Mixture1D, coloured: bool) -> go.Figure:
    """Stop 3, two rows. Top: the draw of z, u ~ U(0, 1) on a bar cut at the cumulative π's
    (z = 1 when u < π₁). Bottom: the histogram of the first ``n`` x's, stacked by z, with
    the expected counts n·width·π_z N(x | μ_z, σ_z²); the newest point is labelled.
    Without colours everything is grey: what EM sees."""
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=2, cols=1, row_heights=[0.2, 0.8], vertical_spacing=0.2)
    edges = np.concatenate([[0.0], np.cumsum(mix.weights)])
    for c in range(mix.k):
        colour = component_color(c) if coloured else NEUTRAL
        fig.add_trace(go.Bar(x=[edges[c + 1] - edges[c]], y=[""], base=[edges[c]],
                             orientation="h", marker=dict(color=rgba(colour, 0.35),
                                                          line=dict(color="white", width=2)),
                             text=f"z = {c + 1}" if coloured else "z = ?",
                             textposition="inside", insidetextanchor="middle",
                             hoverinfo="skip", showlegend=False), row=1, col=1)
    current = z_only if z_only is not None else (n - 1 if 0 < n <= 4 else None)
    if current is not None and coloured:
        fig.add_trace(go.Scatter(x=[u[current]], y=[""], mode="markers+text",
                                 text=[f"u = {u[current]:.3f}"], textposition="top center",
                                 marker=dict(symbol="triangle-down", size=16, color="black"),
                                 cliponaxis=False, showlegend=False), row=1, col=1)
    fig.update_xaxes(range=[0, 1], row=1, col=1, title_text="u ~ U(0, 1)", title_standoff=2)
    width = BINS[1] - BINS[0]
    xs = grid()
    for c in range(mix.k) if coloured else ():
        fig.add_trace(go.Histogram(x=x[:n][z[:n] == c], xbins=dict(start=-6, end=6, size=width),
                                   name=f"z = {c + 1}", marker_color=component_color(c)),
                      row=2, col=1)
    if not coloured:
        fig.add_trace(go.Histogram(x=x[:n], xbins=dict(start=-6, end=6, size=width),
                                   name="x (z unknown)", marker_color=NEUTRAL), row=2, col=1)
    if coloured and n:
        for c, t in enumerate(mixture_terms(xs, mix)):
            fig.add_trace(go.Scatter(x=xs, y=n * width * t, mode="lines", hoverinfo="skip",
                                     line=dict(color=component_color(c), dash="dot"),
                                     name=f"expected count, z = {c + 1}"), row=2, col=1)
    if 0 < n <= 30 and z_only is None:
        counts, _ = np.histogram(x[:n], BINS)
        j = n - 1
        top = counts[min(max(np.searchsorted(BINS, x[j], side="right") - 1, 0), len(counts) - 1)]
        fig.add_annotation(x=x[j], y=top, text=f"x{subscript(j + 1)} = {x[j]:.2f}", row=2, col=1,
                           showarrow=True, arrowhead=2, ax=0, ay=-28, bgcolor="white")
    fig.update_xaxes(range=[-6, 6], row=2, col=1, title_text="x", title_standoff=4)
    fig.update_yaxes(title_text="count", rangemode="tozero", row=2, col=1)
    fig.update_yaxes(showticklabels=False, row=1, col=1)
    # no legend: the bar above names the colours, the caption the dotted curves
    fig.update_layout(barmode="stack", height=HEIGHT + 40, showlegend=False,
                      margin=dict(l=50, r=20, t=60, b=40),
                      title=dict(text=f"{n} point{'s' if n != 1 else ''} drawn" if coloured
                                 else "This is what EM sees", y=0.99, yanchor="top"))
    return fig


def data_figure(x, mix: Mixture1D, *, gamma=None, marked=None, title="",
                height=HEIGHT) -> go.Figure:
    """Stops 4 and 6: the data on the axis (coloured by γ if given), each π_z N(x | μ_z, σ_z²)
    and a marked point."""
    xs = grid()
    fig = go.Figure()
    for i, t in enumerate(mixture_terms(xs, mix)):
        fig.add_trace(go.Scatter(x=xs, y=t, line=dict(color=component_color(i)),
                                 name=component_name(i)))
    colours = NEUTRAL if gamma is None else _blend(np.asarray(gamma))
    fig.add_trace(go.Scatter(x=x, y=np.full(len(x), -0.02), mode="markers", name="data",
                             marker=dict(color=colours, size=9, symbol="line-ns-open",
                                         line=dict(width=2, color=colours))))
    if marked is not None:
        fig.add_trace(go.Scatter(x=[marked], y=[-0.02], mode="markers", name="your point",
                                 marker=dict(size=16, color="black", symbol="triangle-up")))
    return _layout(fig, title, height=height)


#: Where a click on the M-step chart can put a mean: an invisible row of points, one every
#: 0.025 (Plotly reports clicks on points only, never on empty axis space).
CLICK_GRID = np.linspace(-6.0, 6.0, 481)


def m_step_figure(x, mix: Mixture1D, gamma, guesses, turn, new_means=None) -> go.Figure:
    """Stop 5: the data coloured by γ under λ's curves, the old means, the placed guesses
    (a diamond on the axis and a dashed line each), the new means once revealed, and the
    click row: with ``hovermode="x"`` a click anywhere picks the row's point nearest in x."""
    fig = go.Figure()
    for i, t in enumerate(mixture_terms(grid(), mix)):
        fig.add_trace(go.Scatter(x=grid(), y=t, line=dict(color=component_color(i)),
                                 hoverinfo="skip", name=component_name(i)))
    colours = _blend(np.asarray(gamma))
    fig.add_trace(go.Scatter(x=x, y=np.full(len(x), -0.02), mode="markers", name="data",
                             hoverinfo="skip", marker=dict(color=colours, size=9,
                                                           symbol="line-ns-open",
                                                           line=dict(width=2, color=colours))))
    placed = [(z, g) for z, g in enumerate(guesses) if g is not None]
    if placed:
        fig.add_trace(go.Scatter(
            x=[g for _, g in placed], y=[0.0] * len(placed), mode="markers", name="your μ's",
            hoverinfo="skip", marker=dict(size=15, symbol="diamond", line=dict(width=1.5,
                                                                                color="white"),
                                          color=[component_color(z) for z, _ in placed])))
    label = "" if turn is None else f"μ{subscript(turn + 1)}"
    fig.add_trace(go.Scatter(
        x=CLICK_GRID, y=np.zeros(len(CLICK_GRID)), mode="markers", showlegend=False,
        customdata=np.arange(len(CLICK_GRID)), marker=dict(size=8, opacity=0),
        hoverinfo="skip" if turn is None else None,
        hovertemplate=None if turn is None else f"click: {label} at x = %{{x:.2f}}<extra></extra>"))
    marks = [(m, f"old μ{subscript(z + 1)}", "gray", "dot") for z, m in enumerate(mix.means)]
    marks += [(g, f"your μ{subscript(z + 1)}", component_color(z), "dash") for z, g in placed]
    if new_means is not None:
        marks += [(m, f"new μ{subscript(z + 1)}", component_color(z), "solid")
                  for z, m in enumerate(new_means)]
    rows = {"dot": 0.97, "dash": 0.84, "solid": 0.71}  # old, guessed, new: one row each
    for pos, text, colour, dash in marks:
        fig.add_vline(x=pos, line=dict(color=colour, dash=dash, width=2))
        # μ₁'s labels to the left of their line, μ₂'s to the right: close means stay legible
        fig.add_annotation(x=pos, y=rows[dash], yref="paper", text=text, showarrow=False,
                           xanchor="right" if "₁" in text else "left",
                           font=dict(color=colour), bgcolor="rgba(255,255,255,0.8)")
    # room above the curves for the three label rows (old, guessed, new): the labels sat on
    # the curves' peaks when the y-axis ended at the tallest curve
    peak = float(mixture_terms(grid(), mix).max())
    fig.update_yaxes(range=[-0.05, peak * 2.1])
    fig.update_layout(hovermode="x", dragmode=False)
    spike = NEUTRAL if turn is None else component_color(turn)
    fig.update_xaxes(range=[-6, 6], showspikes=turn is not None, spikemode="across",
                     spikesnap="data", spikecolor=spike, spikethickness=2, spikedash="solid")
    title = ("Click where μ" + subscript(turn + 1) + " will move" if turn is not None
             else "The means: old, yours" + (", new" if new_means is not None else ""))
    return _layout(fig, title, height=300)


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


def ellipses_figure(X, fits: dict) -> go.Figure:
    """Stop 9: one 1σ/2σ ellipse set per covariance type, side by side in one chart."""
    from plotly.subplots import make_subplots

    from ui.figures import ellipse_set

    fig = make_subplots(rows=2, cols=2, subplot_titles=list(fits), vertical_spacing=0.12)
    for n, (_name, (means, covs)) in enumerate(fits.items()):
        row, col = divmod(n, 2)
        row, col = row + 1, col + 1
        fig.add_trace(go.Scattergl(x=X[:, 0], y=X[:, 1], mode="markers", showlegend=False,
                                   marker=dict(size=3, color=NEUTRAL)), row=row, col=col)
        for trace in ellipse_set(means, covs, (1, 2), lambda z, _s: dict(
                showlegend=False, line=dict(color=component_color(z), width=2))):
            fig.add_trace(go.Scatter(trace), row=row, col=col)
    for n in range(len(fits)):  # equal scales: a circle looks like a circle
        row, col = divmod(n, 2)
        fig.update_yaxes(scaleanchor=f"x{n + 1 if n else ''}", scaleratio=1, row=row + 1,
                         col=col + 1)
    fig.update_layout(height=520, margin=dict(l=30, r=10, t=40, b=30))
    return fig
