"""Exports of a run, as pure builders (no Streamlit): the parameters as JSON, the history as
CSV, and the whole run as one standalone HTML file that replays it (Plotly frames, Plotly.js
inlined: no server, no internet).
"""

from __future__ import annotations

import html
import io

import numpy as np
import pandas as pd
import plotly.io as pio
from scipy import stats

from gmm_core import EMRecord, History, parameters_to_json

from .figures import FONT, ellipse_xy, half_step_name, point_colors, record_title
from .figures.mixture import data_axes
from .palette import component_color
from .stop_words import rule_text

#: At most this many points are drawn in the replay (a fixed random sample of more; said in
#: the file): every frame carries one colour per point.
REPLAY_MAX_POINTS = 1000
#: At most this many frames (half-steps evenly spaced, first and last kept; said in the file).
REPLAY_MAX_FRAMES = 400


def parameters_json(record: EMRecord, about: dict | None = None) -> str:
    """The parameters of ``record`` as JSON (``gmm_core.parameters_to_json``), with the
    half-step and its log-likelihood added to ``about``."""
    info = {"half_step": int(record.index), "phase": record.phase,
            "iteration": int(record.iteration), "log_likelihood": float(record.log_likelihood),
            **({"note": record.note} if record.note else {}),  # set by hand (issue 22)
            **(about or {})}
    return parameters_to_json(record.params, about=info)


# ------------------------------------------------------------------------------------------
# History as CSV


def parameter_columns(record: EMRecord, feature_names) -> dict:
    """The parameters of ``record`` as named columns: ``pi_1``, ``mu_1[x]``, and covariance
    entries ``Sigma_1[x,y]`` (full; upper triangle), ``Sigma[x,y]`` (tied),
    ``sigma2_1[x]`` (diag), ``sigma2_1`` (spherical). Components are numbered from 1."""
    p = record.params
    names = list(feature_names)
    cols = {}
    for z in range(p.n_components):
        cols[f"pi_{z + 1}"] = float(p.weights[z])
    for z in range(p.n_components):
        for j, name in enumerate(names):
            cols[f"mu_{z + 1}[{name}]"] = float(p.means[z, j])
    cov, d = p.covariances, len(names)
    upper = [(i, j) for i in range(d) for j in range(i, d)]
    # One shared covariance (tied), or one per component: a matrix, variances or a variance.
    blocks = [("", cov)] if p.kind.shared else [(f"_{z + 1}", cov[z])
                                                for z in range(p.n_components)]
    for suffix, c in blocks:
        if p.kind.is_matrix:
            for i, j in upper:
                cols[f"Sigma{suffix}[{names[i]},{names[j]}]"] = float(c[i, j])
        elif np.ndim(c):
            for j, name in enumerate(names):
                cols[f"sigma2{suffix}[{name}]"] = float(c[j])
        else:
            cols[f"sigma2{suffix}"] = float(c)
    return cols


def history_table(history, feature_names) -> pd.DataFrame:
    """One row per half-step: ``half_step``, ``phase`` (start / E / M), ``iteration``,
    ``log_likelihood`` (total), ``delta_log_likelihood`` (total, since the previous
    half-step), ``delta_mean_log_likelihood`` (at E-steps from the second on: the change
    compared with tol), ``lower_bound``, ``converged``, then the parameters
    (:func:`parameter_columns`). A run with records set by hand (phase ``set``,
    ``EMEngine.set_parameters``) has a ``note`` column after ``converged`` saying what the
    hand did."""
    rows = []
    previous = None
    notes = any(r.phase == "set" for r in history)
    for r in history:
        rows.append({
            "half_step": r.index,
            "phase": "start" if r.phase == "init" else r.phase,
            "iteration": r.iteration,
            "log_likelihood": r.log_likelihood,
            "delta_log_likelihood": (np.nan if previous is None
                                     else r.log_likelihood - previous.log_likelihood),
            # the first E-step has no previous value (its change is +inf): an empty cell
            "delta_mean_log_likelihood": (np.nan if r.change is None
                                          or not np.isfinite(r.change) else r.change),
            "lower_bound": np.nan if r.lower_bound is None else r.lower_bound,
            "converged": r.converged,
            **({"note": r.note} if notes else {}),
            **parameter_columns(r, feature_names),
        })
        previous = r
    return pd.DataFrame(rows)


def history_csv(history, feature_names) -> str:
    """:func:`history_table` as CSV text (full float precision, empty cells where a value
    does not apply)."""
    buffer = io.StringIO()
    history_table(history, feature_names).to_csv(buffer, index=False, float_format="%.17g")
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------
# The run as a standalone HTML replay


def frame_indices(n_records: int, limit: int = REPLAY_MAX_FRAMES) -> list[int]:
    """Which records get a frame: all of them up to ``limit``, else ``limit`` evenly spaced
    ones, the first and the last always among them."""
    if n_records <= limit:
        return list(range(n_records))
    return sorted(set(np.linspace(0, n_records - 1, limit).round().astype(int).tolist()))


def _gamma_source(history) -> list:
    """For each record, the index of the E record whose parameters give the γ in force
    (None before the first E-step), as ``EMEngine.responsibilities_at`` defines it."""
    out, current = [], None
    for r in history:
        if r.phase == "E":
            current = r.index
        out.append(current)
    return out


def _ll_range(ll: np.ndarray):
    """The log-likelihood axis: the climb in view; a start far below it (k-means++: ≈ −1e9)
    is left off the scale (the frame title still gives its value)."""
    lo, hi = float(ll.min()), float(ll.max())
    if len(ll) > 2:
        rest = ll[1:]
        span = float(rest.max() - rest.min()) or 1.0
        if ll[0] < rest.min() - 10 * span:
            lo = float(rest.min())
    pad = 0.06 * ((hi - lo) or 1.0)
    return [lo - pad, hi + pad]


def _line(x, y, name, color, **kwargs):
    return dict(type="scatter", x=x, y=y, mode="lines", name=name, hoverinfo="skip",
                line=dict(color=color, width=2.5), **kwargs)


def _component_traces_2d(params):
    """One trace per component (1σ and 2σ ellipses joined by a gap) and one of the means."""
    traces = []
    full = params.full_covariances()
    for z in range(params.n_components):
        xs, ys = [], []
        for s in (1, 2):
            ex, ey = ellipse_xy(params.means[z], full[z], s)
            xs += [*ex.round(6).tolist(), None]
            ys += [*ey.round(6).tolist(), None]
        traces.append(_line(xs, ys, f"component {z + 1} (1σ, 2σ)", component_color(z)))
    traces.append(dict(
        type="scatter", x=params.means[:, 0], y=params.means[:, 1], mode="markers",
        name="means μ_z", showlegend=False,
        marker=dict(symbol="x", size=13, line=dict(width=1.5, color="#111111"),
                    color=[component_color(z) for z in range(params.n_components)])))
    return traces


def _component_traces_1d(params, grid):
    """π_z N(x | μ_z, σ_z²) per component and the mixture density."""
    sd = np.sqrt(params.full_covariances()[:, 0, 0])
    curves = [params.weights[z] * stats.norm.pdf(grid, params.means[z, 0], sd[z])
              for z in range(params.n_components)]
    traces = [_line(grid, c, f"component {z + 1}", component_color(z))
              for z, c in enumerate(curves)]
    traces.append(_line(grid, np.sum(curves, axis=0), "mixture", "#111111"))
    traces[-1]["line"].update(width=2, dash="dash")
    return traces


def _frame_traces(record, colors, ll, shown, dims, grid):
    """The traces of one frame, always in this order: points (only their colours change),
    the components, the log-likelihood so far, the ring on the half-step shown."""
    comps = (_component_traces_2d(record.params) if dims == 2
             else _component_traces_1d(record.params, grid))
    upto = shown + 1
    return [
        dict(type="scatter", marker=dict(color=colors)),
        *comps,
        dict(type="scatter", x=np.arange(upto), y=ll[:upto], xaxis="x2", yaxis="y2",
             cliponaxis=False),
        dict(type="scatter", x=[shown], y=[ll[shown]], xaxis="x2", yaxis="y2",
             cliponaxis=False),
    ]


def _data_axes(X, feature_names, same_units):
    """x and y axes of the data panel, ranges fixed (frames must not rescale them)."""
    if X.shape[1] == 1:
        # the x axis under the strip of points (y3), not between it and the curves
        return (dict(title=dict(text=feature_names[0]), domain=[0, 0.58], anchor="y3"),
                dict(title=dict(text="density"), domain=[0.25, 1], anchor="x"))
    xaxis, yaxis = data_axes(X, feature_names, same_units)
    if "range" not in xaxis:  # shared units: one scale on both axes
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.05 * (hi - lo)
        xaxis["range"] = [float(lo[0] - pad[0]), float(hi[0] + pad[0])]
        yaxis["range"] = [float(lo[1] - pad[1]), float(hi[1] + pad[1])]
        yaxis["constrain"] = "domain"
    return ({**xaxis, "domain": [0, 0.58], "anchor": "y"}, {**yaxis, "anchor": "x"})


# Why longer than 60 lines: one figure with its fixed trace order, frames, play button and
# slider; split up, the trace order each part relies on would be spread over several places.
def replay_spec(X, history, *, feature_names, same_units=None,
                max_points=REPLAY_MAX_POINTS, max_frames=REPLAY_MAX_FRAMES) -> dict:
    """The run as one Plotly figure (a plain dict: data, layout, frames) with a frame per
    half-step: the data coloured by the γ in
    force, each component (2-D: 1σ and 2σ ellipses and means; 1-D: π_z N(x | μ_z, σ_z²) and
    the mixture), and the log-likelihood so far; a Play button and a slider.

    A plain dict, never a ``go.Figure``: validating 30 frames of 600 colours took 3 s of the
    3.7 s an export took (tests/ui/test_exports.py checks what goes in).
    """
    X = np.asarray(X, dtype=float)
    n, dims = X.shape
    rng = np.random.default_rng(0)  # the same sample for the same data
    sample = (np.arange(n) if n <= max_points
              else np.sort(rng.choice(n, max_points, replace=False)))
    Xs = X[sample]
    ll = np.array([r.log_likelihood for r in history])
    grid = None
    if dims == 1:
        lo, hi = X[:, 0].min(), X[:, 0].max()
        pad = 0.15 * (hi - lo + 1e-9)
        grid = np.linspace(lo - pad, hi + pad, 300)
    sources = _gamma_source(history)
    gamma_cache = {}

    def colors(i):
        src = sources[i]
        if src is None:
            return point_colors(None, len(Xs))
        if src not in gamma_cache:
            gamma_cache[src] = point_colors(history[src].params.responsibilities(Xs), len(Xs))
        return gamma_cache[src]

    shown_frames = frame_indices(len(history), max_frames)
    frames = [dict(name=str(i), data=_frame_traces(history[i], colors(i), ll, i, dims, grid),
                   layout=dict(title=dict(text=record_title(history[i]))))
              for i in shown_frames]
    traces = [dict(t) for t in frames[0]["data"]]
    if dims == 2:
        traces[0].update(x=Xs[:, 0], y=Xs[:, 1])
    else:  # a strip of the points under the curves
        traces[0].update(x=Xs[:, 0], y=rng.uniform(-1, 1, len(Xs)), yaxis="y3")
    traces[0].update(mode="markers", name="data (colour: γ)", hoverinfo="skip",
                     marker=dict(size=6, opacity=0.8, color=traces[0]["marker"]["color"]))
    traces[-2].update(mode="lines+markers", name="log-likelihood", hoverinfo="skip",
                      line=dict(color="#555555", width=1.5), marker=dict(size=6,
                                                                          color="#555555"))
    traces[-1].update(mode="markers", name="shown", showlegend=False, hoverinfo="skip",
                      marker=dict(symbol="circle-open", size=18, color="#111111",
                                  line=dict(width=2.5)))
    xaxis, yaxis = _data_axes(X, feature_names, same_units)
    if dims == 1:
        tallest = max(float(np.max(f["data"][-3]["y"])) for f in frames)
        yaxis["range"] = [0, 1.1 * tallest]
    play = dict(frame=dict(duration=500, redraw=True), fromcurrent=True,
                transition=dict(duration=0), mode="immediate")
    jump = dict(mode="immediate", transition=dict(duration=0),
                frame=dict(duration=0, redraw=True))
    # Past 40 steps the tick labels would overlap: hidden, the current value still says it.
    tick_font = dict(size=11) if len(shown_frames) <= 40 else dict(size=1, color="rgba(0,0,0,0)")
    layout = dict(
        title=dict(text=record_title(history[0]), x=0.01, xanchor="left", y=0.97,
                   yanchor="top", yref="container", font=dict(size=18)),
        font=FONT, template=pio.templates["plotly_white"].to_plotly_json(), height=680,
        margin=dict(l=60, r=30, t=110, b=150), xaxis=xaxis, yaxis=yaxis,
        xaxis2=dict(title=dict(text="half-step"), domain=[0.68, 1], anchor="y2",
                    range=[-0.5, len(history) - 0.5]),
        yaxis2=dict(title=dict(text="log-likelihood"), anchor="x2", range=_ll_range(ll)),
        yaxis3=dict(domain=[0, 0.18], range=[-1.5, 1.5], visible=False, anchor="x"),
        legend=dict(orientation="h", yref="container", y=0.02, yanchor="bottom", x=0),
        # Play and Pause under the title, on the left (the toolbar takes the top right), the
        # slider alone under the charts: on a narrow page buttons beside it ran into its steps.
        updatemenus=[dict(type="buttons", direction="left", x=0, y=1.03, xanchor="left",
                          yanchor="bottom", showactive=False, pad=dict(t=0, r=0, b=0),
                          buttons=[
                              dict(label="▶ Play", method="animate", args=[None, play]),
                              dict(label="❚❚ Pause", method="animate",
                                   args=[[None], dict(mode="immediate",
                                                      frame=dict(duration=0, redraw=False))]),
                          ])],
        sliders=[dict(active=0, x=0, y=-0.1, len=1, xanchor="left", yanchor="top",
                      pad=dict(t=0), font=tick_font,
                      currentvalue=dict(prefix="half-step ", visible=True,
                                        font=dict(size=14, color="#31333F")),
                      steps=[dict(label=str(i), method="animate", args=[[str(i)], jump])
                             for i in shown_frames])],
    )
    return dict(data=traces, layout=layout, frames=frames)


def replay_html(X, history, *, title: str, caption: str, feature_names, same_units=None,
                max_points=REPLAY_MAX_POINTS, max_frames=REPLAY_MAX_FRAMES) -> str:
    """The run as one standalone HTML page: ``title``, ``caption``, notes on what was
    sampled, and :func:`replay_spec` with Plotly.js inlined (opens with no server and no
    internet)."""
    fig = replay_spec(X, history, feature_names=feature_names, same_units=same_units,
                      max_points=max_points, max_frames=max_frames)
    notes = []
    n = len(X)
    if n > max_points:
        notes.append(f"The chart shows a fixed random sample of {max_points:,} of the {n:,} "
                     "points; EM used them all and the log-likelihood is that of all of them.")
    kept = len(frame_indices(len(history), max_frames))
    if kept < len(history):
        notes.append(f"{kept} of the {len(history):,} half-steps have a frame (evenly "
                     "spaced, first and last included); the log-likelihood curve has them "
                     "all.")
    body = pio.to_html(fig, validate=False, full_html=False, include_plotlyjs=True, auto_play=False,
                       config={"displaylogo": False, "responsive": True},
                       div_id="replay", default_width="100%")
    drawn = ("the rings are each component's 1σ and 2σ ellipses" if np.shape(X)[1] == 2
             else "the curves are π_z N(x | μ_z, σ_z²) and (dashed) the mixture")
    paragraphs = "".join(f"<p>{html.escape(t)}</p>" for t in [caption, *notes])
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:Inter,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;"
        "color:#31333F}h1{font-size:24px;margin:0 0 8px}p{margin:4px 0;max-width:70em}"
        "</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n{paragraphs}\n"
        "<p>Press ▶ Play, or drag the slider: each frame is one "
        "half-step. Points are coloured by their responsibilities γ<sub>zi</sub> (a blend "
        f"of the component colours); {drawn}.</p>\n"
        f"{body}\n</body>\n</html>\n"
    )


def stop_sentence(history, max_iter: int, tol: float) -> str:
    """How the run stopped (or where it stands), in the page's words (``ui.stop_words``)."""
    last = history[-1]
    fired = History(history).fired()
    if fired is not None:
        return f"{rule_text(fired, tol)} The run ends at {half_step_name(last)}."
    if last.n_iter >= max_iter:
        return f"EM stopped at max_iter = {max_iter} iterations without converging."
    return (f"Not converged: the run was stepped to {half_step_name(last)} and exported "
            "there.")


__all__ = ["REPLAY_MAX_FRAMES", "REPLAY_MAX_POINTS", "frame_indices", "history_csv",
           "history_table", "parameter_columns", "parameters_json", "replay_spec",
           "replay_html", "stop_sentence"]
