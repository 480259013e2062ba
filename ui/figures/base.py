"""What every figure builder shares: the font, the phase names, the unvalidated fast path."""

from __future__ import annotations

import plotly.graph_objects as go

from gmm_core import EMRecord

#: Above this many points the scatter switches to WebGL (Scattergl).
WEBGL_THRESHOLD = 1000

FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13)
PHASE_NAMES = {"init": "start", "E": "after E-step", "M": "after M-step"}


def unchecked(cls, **kwargs) -> dict:
    """A trace of type ``cls`` as a plain dict, for ``build_figure``.

    Plotly's per-property validation costs ~1 s per 20,000 colour strings, and even
    unvalidated trace objects and ``update_*`` calls cost 10-20 ms a figure (~45 ms of each
    EM step's script run); the builders' own tests check what they put in.
    """
    return dict(type=cls.__name__.lower(), **kwargs)


def build_figure(traces, **layout) -> go.Figure:
    """The figure, built in one unvalidated call from dict traces and a dict layout."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def base_layout(*, title: str, height: int, uirevision) -> dict:
    return dict(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=15)),
        height=height,
        margin=dict(l=10, r=10, t=48, b=10),
        font=FONT,
        uirevision=uirevision,
        # Below the chart, at the bottom of the figure: a legend in the top band ran into the
        # title once it wrapped (K = 10, or a narrow window).
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0,
                    xanchor="left"),
    )


def half_step_name(record: EMRecord) -> str:
    """The one convention for naming a half-step: "start (iteration 0)", "iteration t ·
    E-step", "iteration t · M-step", with t = ``record.iteration`` (the t-th E-step and the
    t-th M-step both belong to iteration t)."""
    if record.phase == "init":
        return "start (iteration 0)"
    return f"iteration {record.iteration} · {record.phase}-step"


def record_title(record: EMRecord) -> str:
    ll = f"{record.log_likelihood:,.2f}".replace("-", "−")
    return f"{half_step_name(record)} · log-likelihood {ll}"
