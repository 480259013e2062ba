"""Final log-likelihoods of many restarts, one jittered strip per method."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..palette import component_color
from .base import FONT, build_figure, unchecked


def restarts_figure(methods, final_ll, *, selected=None, height=380, seed=0) -> go.Figure:
    """Final log-likelihood of every restart, one jittered strip (and box) per method.

    Parameters
    ----------
    methods : sequence of str, one per restart
    final_ll : sequence of float, one per restart
    selected : int, optional
        Row to ring. Each dot's ``customdata`` is its row, so a click selects that solution.
    """
    methods = np.asarray(methods)
    final_ll = np.asarray(final_ll, dtype=float)
    names = list(dict.fromkeys(methods.tolist()))
    rng = np.random.default_rng(seed)
    traces = []
    for m, name in enumerate(names):
        rows = np.flatnonzero(methods == name)
        color = component_color(m)
        traces.append(unchecked(
            go.Box, x=np.full(len(rows), m, dtype=float), y=final_ll[rows], name=name,
            boxpoints=False, marker=dict(color=color), line=dict(width=1), fillcolor=
            "rgba(0,0,0,0)", showlegend=False, hoverinfo="skip", width=0.5,
        ))
        traces.append(unchecked(
            go.Scatter, x=m + rng.uniform(-0.18, 0.18, len(rows)), y=final_ll[rows],
            mode="markers", name=name, customdata=rows,
            marker=dict(color=color, size=8, opacity=0.75, line=dict(width=0.5, color="white")),
            hovertemplate=f"{name}<br>final log-likelihood %{{y:,.2f}}<br>restart %{{customdata}}"
                          "<extra></extra>",
        ))
    if selected is not None and 0 <= selected < len(final_ll):
        m = names.index(methods[selected])
        traces.append(unchecked(
            go.Scatter, x=[m], y=[final_ll[selected]], mode="markers", name="shown",
            marker=dict(symbol="circle-open", size=18, color="#111111", line=dict(width=2.5)),
            hoverinfo="skip",
        ))
    fig = build_figure(traces)
    fig.update_layout(
        title=dict(text="Final log-likelihood of every restart (click a dot to see it)", x=0.01,
                   font=dict(size=15)),
        height=height, margin=dict(l=10, r=10, t=48, b=10), font=FONT,
        clickmode="event+select", hovermode="closest", uirevision="restarts",
        xaxis=dict(tickmode="array", tickvals=list(range(len(names))), ticktext=names,
                   range=[-0.6, len(names) - 0.4]),
        yaxis=dict(title=dict(text="final log-likelihood")),
    )
    return fig
