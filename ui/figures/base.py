"""What every figure builder shares: the font, the phase names, the unvalidated fast path."""

from __future__ import annotations

import functools

import numpy as np
import plotly.graph_objects as go

from gmm_core import EMRecord

#: Above this many points the scatter switches to WebGL (Scattergl).
WEBGL_THRESHOLD = 1000
#: At most this many points are drawn (a fixed random sample of more): EM fits them all,
#: but a browser redrawing 400,000 points took ≈ 9 s a step (bench/bench_big_upload.py).
MAX_DRAWN_POINTS = 20_000

FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=13)
PHASE_NAMES = {"init": "start", "E": "after E-step", "M": "after M-step", "set": "moved by hand"}


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
    if record.phase == "set":  # EMEngine.set_parameters: a component moved by hand
        return f"iteration {record.iteration} · moved by hand"
    return f"iteration {record.iteration} · {record.phase}-step"


def record_title(record: EMRecord) -> str:
    return f"{half_step_name(record)} · log-likelihood {record.log_likelihood:,.2f}"


@functools.lru_cache(maxsize=8)
def _sample(n: int, size: int) -> np.ndarray:
    rng = np.random.default_rng(n)  # the same rows at every step of the same data
    index = np.sort(rng.choice(n, size, replace=False))
    index.flags.writeable = False
    return index


def drawn_sample(n: int, limit: int = MAX_DRAWN_POINTS) -> np.ndarray | None:
    """Rows to draw of ``n`` points: None (all of them) up to ``limit``, else a fixed random
    sample of ``limit`` rows, sorted; the same for the same ``n``, so nothing flickers."""
    return None if n <= limit else _sample(n, limit)


def sample_note(n: int, limit: int = MAX_DRAWN_POINTS) -> list[dict]:
    """The note a chart of a sample carries ("showing 20,000 of 400,000 points")."""
    if n <= limit:
        return []
    return [dict(xref="paper", yref="paper", x=1.0, y=1.0, xanchor="right", yanchor="bottom",
                 showarrow=False, font=dict(size=11, color="#555555"),
                 text=f"showing {limit:,} of {n:,} points (a fixed random sample; "
                      "EM uses them all)")]
