"""Plotly builders of the Model selection page: pure functions (tables in, figures out).

No Streamlit here. Every point a person can click carries ``customdata = [K, covariance
type]`` so a selection names the model without depending on trace order.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sequential
from plotly.subplots import make_subplots

from gmm_core import COVARIANCE_TYPES, MixtureParameters
from lab_maths.criteria import CRITERION_NAMES, MCLUST_NAMES
from ui.figures import FONT, ellipse_set
from ui.figures.base import build_figure, unchecked
from ui.palette import component_color, rgba

#: One colour and marker per covariance type (Okabe-Ito, colour-blind safe) on every chart.
TYPE_COLORS = {"full": "#0072B2", "tied": "#E69F00", "diag": "#009E73", "spherical": "#CC79A7"}
TYPE_SYMBOLS = {"full": "circle", "tied": "square", "diag": "diamond", "spherical": "triangle-up"}
DEGENERATE_COLOR = "#D55E00"
#: Plotly's "Viridis" as its validator spells it out (an unvalidated figure would send the
#: name, and Plotly.js's own Viridis has other stops).
VIRIDIS = [[i / (len(sequential.Viridis) - 1), c] for i, c in enumerate(sequential.Viridis)]


def type_label(cov: str) -> str:
    return f"{cov} ({MCLUST_NAMES[cov]})"


def _layout(title: str, height: int, **extra) -> dict:
    return dict(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=15)),
        height=height, font=FONT, margin=dict(l=10, r=10, t=56, b=10),
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0),
        plot_bgcolor="white", **extra,
    )


def _hover(row, criterion: str) -> str:
    name = CRITERION_NAMES[criterion]
    text = (f"K = {row.n_components}, {type_label(row.covariance_type)}<br>"
            f"{name} = {getattr(row, criterion):,.2f}<br>log-likelihood = "
            f"{row.log_likelihood:,.2f}<br>{row.n_parameters} free parameters")
    if row.degenerate:
        text += f"<br><b>degenerate</b>: {row.reason}"
    return text + "<br>click to draw it"


def criterion_figure(table, criterion="bic", *, best=None, selected=None,
                     height=440) -> go.Figure:
    """mclust-style chart: the criterion against K, one line per covariance type.

    Degenerate fits are drawn as hollow red-rimmed markers; cells that failed leave a gap.
    ``best`` and ``selected`` are row labels of ``table`` (ringed and labelled). Built from
    plain dicts in one unvalidated call (``build_figure``): Plotly's ``update_*`` calls
    took a third of a second of the page's run here (issue 24).
    """
    name = CRITERION_NAMES[criterion]
    traces = []
    for cov in COVARIANCE_TYPES:
        rows = table[table["covariance_type"] == cov].sort_values("n_components")
        degenerate = rows["degenerate"].astype(bool).to_numpy()
        traces.append(unchecked(
            go.Scatter, x=rows["n_components"].to_numpy(), y=rows[criterion].to_numpy(),
            mode="lines+markers", name=type_label(cov), connectgaps=False,
            line=dict(color=TYPE_COLORS[cov], width=2),
            marker=dict(symbol=[TYPE_SYMBOLS[cov] + ("-open" if d else "") for d in degenerate],
                        size=[13 if d else 9 for d in degenerate],
                        color=TYPE_COLORS[cov],
                        line=dict(width=[2.5 if d else 0 for d in degenerate],
                                  color=DEGENERATE_COLOR)),
            customdata=np.c_[rows["n_components"], rows["covariance_type"]],
            hovertext=[_hover(r, criterion) for r in rows.itertuples()],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    traces += _marks(table, best, selected, x="n_components", y=criterion)
    y_range, notes = _criterion_range(table, criterion)
    return build_figure(
        traces, **_layout(f"{name} for K = 1…10 and each covariance type (lower is better)",
                          height),
        clickmode="event+select", dragmode=False, hovermode="closest", annotations=notes,
        xaxis=dict(title=dict(text="number of components K"), dtick=1, showgrid=True,
                   gridcolor="#eeeeee"),
        yaxis=dict(title=dict(text=f"{name} (lower is better)"), gridcolor="#eeeeee",
                   range=y_range))


def _criterion_range(table, criterion):
    """(y-range, annotations): a y-range for K ≥ 2 when K = 1 is far above them (it
    squeezes every other line together), K = 1's values then written on the chart."""
    ok = table[np.isfinite(table[criterion].to_numpy(dtype=float))]
    rest = ok[ok["n_components"] > 1][criterion]
    first = ok[ok["n_components"] == 1][criterion]
    if rest.empty or first.empty:
        return None, []
    lo, hi = float(rest.min()), float(rest.max())
    span = hi - lo if hi > lo else 1.0
    if first.max() <= hi + 0.5 * span:
        return None, []
    note = dict(
        x=1, y=1, xref="paper", yref="paper", xanchor="right", yanchor="top", showarrow=False,
        text=(f"K = 1 is above the chart ({first.min():,.0f} to {first.max():,.0f}):<br>"
              "pick it on the heat-map"), font=dict(size=11), align="right",
        bgcolor="rgba(255,255,255,0.85)")
    return [lo - 0.08 * span, hi + 0.08 * span + (0.12 * span)], [note]


def _marks(table, best, selected, *, x, y, heatmap=False) -> list[dict]:
    """The marks of the best model and the drawn one (out of the legend). Line chart: a
    star and a ring, labelled "best" / "drawn". Heat-map: a black frame (best) and an
    orange frame (drawn) round the square, leaving its value readable."""
    if heatmap:
        # A row is about 31 px high: frames of 40 and 46 px crossed the next row's value
        # (issue 24); these stay within about 2 px of the cell.
        marks = [(best, "square-open", 35, "#111111", ""), (selected, "square-open", 38,
                                                             "#E69F00", "")]
    else:
        marks = [(best, "star-open", 26, "#111111", "best"),
                 (selected, "circle-open", 20, "#111111", "drawn")]
        if best is not None and best == selected:
            marks = [(best, "star-open", 26, "#111111", "best, drawn")]
    traces = []
    for label, symbol, size, color, text in marks:
        if label is None or label not in table.index:
            continue
        row = table.loc[label]
        xv = type_label(row[x]) if x == "covariance_type" else row[x]
        traces.append(unchecked(
            go.Scatter, x=[xv], y=[row[y]], mode="markers+text" if text else "markers",
            text=[text], textposition="top center", textfont=dict(size=12, color="#111111"),
            customdata=[[int(row["n_components"]), row["covariance_type"]]],
            marker=dict(symbol=symbol, size=size, color=color,
                        line=dict(width=2.5 if heatmap else 3)),
            name=text or "mark", showlegend=False, hoverinfo="skip"))
    return traces


def heatmap_figure(table, criterion="bic", *, best=None, selected=None,
                   height=440) -> go.Figure:
    """The grid as a heat-map of clickable squares (K down, covariance type across), each
    labelled with its value; degenerate cells say so, failed cells say "failed"."""
    name = CRITERION_NAMES[criterion]
    values = table[criterion].to_numpy(dtype=float)
    finite = values[np.isfinite(values)]
    # K = 1 is often far worse than the rest: colours span the best three quarters, so the
    # differences between good models stay visible (worse cells share the darkest colour).
    lo, hi = (finite.min(), np.percentile(finite, 75)) if finite.size else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1.0
    dark = np.isfinite(values) & ((values - lo) / (hi - lo) > 0.55)
    labels, colors = [], []
    for row, v in zip(table.itertuples(), values):
        if not np.isfinite(v):
            labels.append("failed")
            colors.append(None)
        else:
            labels.append(f"{v:,.0f}" + (" ⚠" if row.degenerate else ""))
            colors.append(v)
    ok = np.array([c is not None for c in colors])
    x = [type_label(c) for c in table["covariance_type"]]
    hover = [(_hover(r, criterion) if o else
              f"K = {r.n_components}, {type_label(r.covariance_type)}: {r.error}")
             for r, o in zip(table.itertuples(), ok)]
    square = unchecked(
        go.Scatter, x=x, y=table["n_components"].to_numpy(), mode="markers+text",
        text=labels,
        textfont=dict(size=11, color=["#ffffff" if d else "#111111" for d in dark]),
        marker=dict(symbol="square", size=34,
                    color=[c if c is not None else np.nan for c in colors],
                    colorscale=VIRIDIS, reversescale=True, cmin=lo, cmax=hi,
                    line=dict(width=[2.5 if d else 0 for d in table["degenerate"]],
                              color=DEGENERATE_COLOR),
                    colorbar=dict(title=dict(text=name, side="right"), thickness=12)),
        customdata=np.c_[table["n_components"], table["covariance_type"]],
        hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
    )
    layout = _layout(f"{name} of every fit<br><sup>yellow is lowest · black frame: best · "
                     "orange frame: drawn</sup>", height)
    layout["margin"] = dict(l=10, r=10, t=72, b=10)
    return build_figure(
        [square, *_marks(table, best, selected, x="covariance_type", y="n_components",
                         heatmap=True)],
        **layout, clickmode="event+select", dragmode=False, hovermode="closest",
        xaxis=dict(title=dict(text="covariance type (mclust name)"), showgrid=False,
                   categoryorder="array",
                   categoryarray=[type_label(c) for c in COVARIANCE_TYPES]),
        yaxis=dict(title=dict(text="K"), dtick=1, showgrid=False, range=[10.6, 0.4]))


def model_scatter(X, params: MixtureParameters, *, feature_names=("x", "y"), title="",
                  height=380, ranges=None, show_legend=False, components=None) -> go.Figure:
    """A small static chart: 2-D points coloured by their most responsible component and each
    component's 1σ and 2σ ellipses; 1-D data as a histogram with π_z N(x | μ_z, σ_z²).
    ``components``: each drawn component's number in a larger model (0-based), so a subset
    keeps its colours and names z (the Dirichlet-process weights chart shows all of them)."""
    traces = []
    _add_model(traces, X, params, show_legend=show_legend, components=components)
    fig = go.Figure(data=traces, _validate=False)
    fig.update_layout(**_layout(title, height))
    _axes(fig, X, feature_names, ranges, row=None, col=None)
    return fig


def _add_model(traces, X, params, *, axis=1, show_legend=False, components=None):
    """Append the model's traces to ``traces`` as plain dicts (``unchecked``: Plotly's
    validation of these traces took ≈ 1.4 s of the page's 3.9 s on a busy machine), on
    subplot number ``axis`` (1: the first or only one)."""
    where = {} if axis == 1 else dict(xaxis=f"x{axis}", yaxis=f"y{axis}")
    ids = list(range(params.n_components)) if components is None else [int(c) for c in
                                                                        components]
    covs = params.full_covariances()
    if X.shape[1] == 1:
        x = X[:, 0]
        traces.append(unchecked(go.Histogram, x=x, histnorm="probability density", nbinsx=40,
                                   marker=dict(color="rgba(140,140,140,0.4)"),
                                   showlegend=False, hoverinfo="skip", **where))
        grid = np.linspace(x.min() - 0.1 * np.ptp(x), x.max() + 0.1 * np.ptp(x), 300)
        total = np.zeros_like(grid)
        for z in range(params.n_components):
            sd = np.sqrt(covs[z, 0, 0])
            y = params.weights[z] * np.exp(-0.5 * ((grid - params.means[z, 0]) / sd) ** 2) / (
                sd * np.sqrt(2 * np.pi))
            total += y
            traces.append(unchecked(go.Scatter, x=grid, y=y, mode="lines", showlegend=False,
                                     line=dict(color=component_color(ids[z]), width=1.5),
                                     hoverinfo="skip", **where))
        traces.append(unchecked(go.Scatter, x=grid, y=total, mode="lines", name="mixture",
                                 showlegend=False, line=dict(color="#111111", width=2),
                                 hoverinfo="skip", **where))
        return
    labels = params.predict(X)
    traces.append(unchecked(
        go.Scattergl,
        x=X[:, 0], y=X[:, 1], mode="markers", showlegend=False, hoverinfo="skip",
        marker=dict(size=4 if len(X) > 2000 else 6, opacity=0.55,
                    color=[component_color(ids[z]) for z in labels]), **where))

    def line(z, s):
        color = component_color(ids[z])
        return dict(fill="toself", fillcolor=rgba(color, 0.06),
                    line=dict(color=color, width=2.5 if s == 1 else 1,
                              dash="dot" if s == 2 else None),
                    showlegend=show_legend and s == 1, legendgroup=f"c{z}",
                    name=f"z = {ids[z] + 1}: π_z = {params.weights[z]:.2f}", hoverinfo="skip")

    def mean(z):
        name = ids[z] + 1
        return dict(showlegend=False,
                    marker=dict(symbol="x", size=11, color=component_color(ids[z]),
                                line=dict(width=1, color="white")),
                    hovertemplate=(f"μ_{name} = (%{{x:.3g}}, %{{y:.3g}})<br>π_{name} = "
                                   f"{params.weights[z]:.3f}<extra></extra>"))

    # ellipse_set's dicts already say their type ("scatter"): plain dicts, like unchecked's
    traces.extend({**trace, **where} for trace in ellipse_set(params.means, covs, (1, 2), line,
                                                              mean))


def data_ranges(X, pad=0.08):
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return [(float(a - pad * s), float(b + pad * s)) for a, b, s in zip(lo, hi, span)]


def _axes(fig, X, feature_names, ranges, *, row, col):
    where = {} if row is None else dict(row=row, col=col)
    ranges = ranges or data_ranges(X)
    fig.update_xaxes(title_text=feature_names[0], range=ranges[0], showgrid=False,
                     zeroline=False, **where)
    if X.shape[1] == 2:
        fig.update_yaxes(title_text=feature_names[1], range=ranges[1], showgrid=False,
                         zeroline=False, **where)


def covariance_types_figure(X, models: dict, k: int, summary, *, feature_names=("x", "y"),
                            columns=4, height=360) -> go.Figure:
    """The four covariance types at the same K as small multiples; each panel's title has its
    mclust name, free-parameter count and log-likelihood (failed fits say so)."""
    rows = int(np.ceil(len(COVARIANCE_TYPES) / columns))
    titles = []
    for cov in COVARIANCE_TYPES:
        if (k, cov) in models:
            s = summary.loc[cov]
            titles.append(f"{cov} ({MCLUST_NAMES[cov]})<br>p = {int(s['free parameters'])}, "
                          f"log L = {s['log-likelihood']:,.1f}")
        else:
            titles.append(f"{cov} ({MCLUST_NAMES[cov]})<br>no fit")
    # Between rows: the x-axis title above (≈ 45 px) and a two-line panel title (≈ 40 px);
    # 0.14 of the height left them on top of each other (issue 24).
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles,
                        horizontal_spacing=0.04,
                        vertical_spacing=min(0.4, 130 / (height * rows)) if rows > 1 else 0.1)
    ranges = data_ranges(X)
    traces = []
    for i, cov in enumerate(COVARIANCE_TYPES):
        r, c = divmod(i, columns)
        _axes(fig, X, feature_names, ranges, row=r + 1, col=c + 1)
        if (k, cov) in models:
            _add_model(traces, X, models[(k, cov)], axis=i + 1)  # subplots count row-major
    fig = go.Figure(data=traces, layout=fig.layout, _validate=False)
    fig.update_layout(**_layout("", height * rows))
    # room for the top row's two-line titles, also at the projector's 18 px
    fig.update_layout(margin=dict(l=10, r=10, t=84, b=10))
    fig.update_annotations(font=dict(size=12))
    return fig


def cv_figure(curve, *, picks=None, height=400, title="") -> go.Figure:
    """Training and validation mean log-likelihood per point against K (±1 std over folds),
    with vertical lines at the K each criterion picks (``picks``: {name: K})."""
    fig = go.Figure()
    k = curve["n_components"]
    for col, color, label in (("train", "#0072B2", "training data"),
                              ("validation", "#D55E00", "validation data (held out)")):
        fig.add_trace(go.Scatter(
            x=k, y=curve[col], mode="lines+markers", name=label,
            line=dict(color=color, width=2.5),
            error_y=dict(type="data", array=curve[col + "_std"], visible=True,
                         thickness=1, color=color),
            hovertemplate="K = %{x}<br>%{y:.4f} per point<extra>" + label + "</extra>"))
    for i, (name, value) in enumerate((picks or {}).items()):
        if value is None:
            continue
        fig.add_vline(x=value, line=dict(color="#555555", dash="dot", width=1))
        fig.add_annotation(x=value, y=1 - 0.08 * i, yref="paper", text=f"{name}: K = {value}",
                           showarrow=False, xanchor="left", xshift=3,
                           bgcolor="rgba(255,255,255,0.8)", font=dict(size=11))
    fig.update_layout(**_layout(title, height), hovermode="x unified")
    fig.update_xaxes(title_text="number of components K", dtick=1, gridcolor="#eeeeee")
    fig.update_yaxes(title_text="mean log-likelihood per point", gridcolor="#eeeeee",
                     range=_cv_range(fig, curve))
    return fig


def _cv_range(fig, curve):
    """A y-range for K ≥ 2 when K = 1 is far below them (it would flatten every difference
    that matters); K = 1's values are then written on the chart."""
    rest = curve[curve["n_components"] > 1][["train", "validation"]].to_numpy(dtype=float)
    first = curve[curve["n_components"] == 1][["train", "validation"]].to_numpy(dtype=float)
    rest, first = rest[np.isfinite(rest)], first[np.isfinite(first)]
    if not rest.size or not first.size:
        return None
    lo, hi = rest.min(), rest.max()
    pad = 0.15 * (hi - lo if hi > lo else 1.0)
    if first.min() >= lo - 3 * pad:
        return None
    fig.add_annotation(x=1, y=lo - pad, yref="y", text=(
        f"K = 1 is below: train {first[0]:.3f}, validation {first[-1]:.3f}"),
        showarrow=False, xanchor="left", yanchor="bottom", font=dict(size=11),
        bgcolor="rgba(255,255,255,0.8)")
    return [lo - pad, hi + pad]


def weights_figure(weights, threshold, *, height=320, title="") -> go.Figure:
    """The Dirichlet-process mixture's weights π_z as bars; components below ``threshold``
    (switched off by the prior) fade."""
    weights = np.asarray(weights, dtype=float)
    on = weights >= threshold
    colors = [rgba(component_color(z), 1.0 if o else 0.18) for z, o in enumerate(on)]
    fig = go.Figure(go.Bar(
        x=[f"z = {z + 1}" for z in range(len(weights))], y=weights,
        marker=dict(color=colors, line=dict(color="#555555", width=[0 if o else 1 for o in on])),
        text=[f"{w:.3f}" if o else "" for w, o in zip(weights, on)], textposition="outside",
        hovertemplate="%{x}: π_z = %{y:.4f}<extra></extra>", showlegend=False))
    fig.add_hline(y=threshold, line=dict(color="#555555", dash="dot", width=1))
    fig.update_layout(**_layout(title, height))
    fig.update_yaxes(title_text="weight π_z", range=[0, max(0.05, weights.max() * 1.2)],
                     gridcolor="#eeeeee")
    return fig


def cost_figure(table, law, *, height=400, title="") -> go.Figure:
    """Seconds per EM iteration against N on log-log axes: the engine, scikit-learn and the
    O(N) line through the engine's largest measured N."""
    measured = table[table["measured"]]
    fig = go.Figure()
    for col, color, label in (("engine_seconds", "#0072B2", "EMEngine (this app)"),
                              ("sklearn_seconds", "#E69F00", "scikit-learn")):
        fig.add_trace(go.Scatter(
            x=measured["n_samples"], y=measured[col], mode="lines+markers", name=label,
            line=dict(color=color, width=2.5), marker=dict(size=9),
            hovertemplate="N = %{x:,}<br>%{y:.4f} s per iteration<extra>" + label
                          + "</extra>"))
    fig.add_trace(go.Scatter(
        x=table["n_samples"], y=law, mode="lines", name="O(N·K·d²): time ∝ N",
        line=dict(color="#555555", dash="dot", width=1.5), hoverinfo="skip"))
    fig.update_layout(**_layout(title, height))
    fig.update_xaxes(type="log", title_text="number of points N (log scale)",
                     gridcolor="#eeeeee")
    fig.update_yaxes(type="log", title_text="seconds per iteration (log scale)",
                     gridcolor="#eeeeee")
    return fig


def collapse_figure(trace, *, height=420, title="") -> go.Figure:
    """The degeneracy lab's run: log-likelihood (top) and the collapsing component's
    smallest variance on a log axis (bottom), against the iteration."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=("total log-likelihood",
                                        "smallest variance of component 2 (log scale)"))
    fig.add_trace(go.Scatter(x=trace["iteration"], y=trace["log_likelihood"],
                             mode="lines+markers", line=dict(color="#0072B2"),
                             showlegend=False,
                             hovertemplate="iteration %{x}<br>log L = %{y:.3f}<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=trace["iteration"], y=trace["smallest_variance"],
                             mode="lines+markers", line=dict(color="#D55E00"),
                             showlegend=False,
                             hovertemplate="iteration %{x}<br>σ² = %{y:.3g}<extra></extra>"),
                  row=2, col=1)
    fig.update_layout(**_layout(title, height))
    fig.update_yaxes(type="log", row=2, col=1, exponentformat="power")
    fig.update_xaxes(title_text="iteration", row=2, col=1, dtick=5)
    fig.update_annotations(font=dict(size=12))
    return fig
