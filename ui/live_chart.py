"""``live_chart``: a Plotly chart that updates in place when its figure changes.

``st.plotly_chart`` gives a chart a new identity whenever its figure changes, so each EM step
unmounted the old chart and built the new one from scratch (``Plotly.newPlot``; with WebGL,
a new GL context too) and lost the user's zoom. This component keeps one chart per ``key``
and hands each new figure to ``Plotly.react``, which redraws only what changed and keeps the
zoom through ``uirevision``. Measured in headless Chromium: 20,000 points 730 ms → 140 ms
per step.

The frontend (``live_chart_frontend/``) is plain HTML + JS speaking the components-v1
protocol; Plotly.js is the copy that ships with the ``plotly`` Python package, so nothing is
downloaded or built. A click on a point comes back in the shape of ``st.plotly_chart``'s
selection event (``{"selection": {"points": [{"customdata": …}]}}``), so one callback reads
both.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import re
import shutil
import tempfile
from pathlib import Path

import plotly
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
import streamlit.components.v1 as components

from . import device
from .palette import OKABE_ITO

_FRONTEND = Path(__file__).resolve().parent / "live_chart_frontend"
_PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

#: A light theme close to Streamlit's own chart theme, written out in full: the "streamlit"
#: template that st.plotly_chart uses holds placeholder colours only its frontend fills in.
TEMPLATE = go.layout.Template(layout=dict(
    colorway=list(OKABE_ITO),
    paper_bgcolor="#ffffff",
    plot_bgcolor="#ffffff",
    font=dict(color="#31333F"),
    title=dict(font=dict(color="#31333F")),
    xaxis=dict(gridcolor="#e6e9ef", zerolinecolor="#d5dae4", linecolor="#d5dae4",
               tickcolor="#d5dae4", automargin=True, tickfont=dict(color="#5c5f6e")),
    yaxis=dict(gridcolor="#e6e9ef", zerolinecolor="#d5dae4", linecolor="#d5dae4",
               tickcolor="#d5dae4", automargin=True, tickfont=dict(color="#5c5f6e")),
    hoverlabel=dict(bgcolor="#ffffff", bordercolor="#d5dae4", font=dict(color="#31333F")),
    legend=dict(bgcolor="rgba(0,0,0,0)"),
))
#: Image downloads for slides: the chart laid out at 960×540 (16:9) and drawn at scale 2, so
#: a PNG is 1920×1080 px with text twice the size it would have at 1920 px wide. (Plotly.js in
#: the browser makes it: no server-side renderer such as kaleido, which needs Chrome.)
IMAGE_LAYOUT_WIDTH, IMAGE_LAYOUT_HEIGHT, IMAGE_SCALE = 960, 540, 2
IMAGE_WIDTH, IMAGE_HEIGHT = IMAGE_LAYOUT_WIDTH * IMAGE_SCALE, IMAGE_LAYOUT_HEIGHT * IMAGE_SCALE


def image_config(filename: str = "em-playground-chart") -> dict:
    """Plotly config for the toolbar's camera button: a PNG at slide size (the one helper for
    ``st.plotly_chart(config=...)`` too; ``live_chart`` adds an SVG button beside it)."""
    return {"toImageButtonOptions": {"format": "png", "filename": filename,
                                     "width": IMAGE_LAYOUT_WIDTH,
                                     "height": IMAGE_LAYOUT_HEIGHT, "scale": IMAGE_SCALE}}


CONFIG = {"displaylogo": False, "responsive": True, "showSendToCloud": False,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendDataToCloud"]}


@functools.cache
def _frontend_dir() -> Path:
    """The component's files with Plotly.js beside them, in a private folder of this process
    (``tempfile.mkdtemp``: a fresh name, mode 0700), removed when the process exits.

    (A shared, predictable folder could be made beforehand by another local user, with a
    Plotly.js of their own in it.)
    """
    target = Path(tempfile.mkdtemp(prefix="em-playground-live-chart-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    for source in sorted(_FRONTEND.iterdir()):
        if source.is_file():
            shutil.copyfile(source, target / source.name)
    shutil.copyfile(_PLOTLY_JS, target / "plotly.min.js")
    return target


_component = components.declare_component("live_chart", path=str(_frontend_dir()))


def figure_spec(fig: go.Figure) -> bytes:
    """The figure as UTF-8 JSON, drawn with ``TEMPLATE`` (set on ``fig``).

    Because the chart lives on between figures (``Plotly.react``):

    * clicks are events only (``clickmode="event"``): a Plotly selection would dim every
      other point and stay dimmed;
    * an axis without a range says ``autorange``: otherwise a range an earlier figure set
      would stay and could hide the data (the user's own zoom is kept by ``uirevision``).
    """
    fig.layout.template = TEMPLATE
    fig.layout.clickmode = "event"

    def autorange(axis):
        if axis.range is None and axis.autorange is None:
            axis.autorange = True

    fig.for_each_xaxis(autorange)
    fig.for_each_yaxis(autorange)
    return pio.to_json(fig, validate=False).encode()


def describe(fig: go.Figure) -> str:
    """A chart's text alternative when its caller gives none: its title, as plain text."""
    title = fig.layout.title.text or ""
    return re.sub(r"<[^>]+>", " ", title).strip() or "Chart"


def live_chart(fig: go.Figure, *, key: str, revision, on_click=None, config=None,
               description: str | None = None, drag=None):
    """Draw ``fig``; later calls with the same ``key`` update the same chart in place.

    Parameters
    ----------
    fig : go.Figure
        Its ``layout.height`` sets the chart's height (450 px if unset).
    key : str
        The chart's identity, and the session-state key of its last click.
    revision : str or int
        Names what is drawn: the chart's document gets ``data-drawn=<revision>`` once it is on
        screen (browser tests and the click benchmark wait for it).
    on_click : callable, optional
        Called (as a widget callback) when the user clicks a point; the click is then in
        ``st.session_state[key]``.
    description : str, optional
        The chart's text alternative, saying what it shows now (``describe(fig)`` if not
        given): a visually hidden live region in the chart's frame, updated with each figure.

    drag : dict, optional
        ``ui.drag.drag_args(...)``: the components can be grabbed and dragged
        (``live_chart_frontend/drag.js``); a release calls ``on_click`` with
        ``{"drag": ...}`` in ``st.session_state[key]``.

    The toolbar's camera button saves a PNG of ``IMAGE_WIDTH``×``IMAGE_HEIGHT`` px and the
    disk button at the toolbar's end an SVG of the same layout (``image_config``; the
    frontend adds that button).
    """
    spec = figure_spec(fig)
    # Streamlit re-sends a component's arguments to its iframe only when the JSON ones change,
    # not the bytes: the digest makes every new figure reach the chart.
    digest = hashlib.blake2b(spec, digest_size=12).hexdigest()
    return _component(spec=spec, digest=digest, revision=str(revision),
                      description=description or describe(fig),
                      config={**CONFIG, **image_config(f"em-playground-{key}"),
                              **device.chart_config(), **(config or {})},
                      key=key, default=None,
                      on_change=on_click, **(drag or {}))


def point_index(event):
    """customdata of the last point in a click or selection event (``live_chart``'s click
    and ``st.plotly_chart``'s selection have the same shape), or None."""
    points = (event or {}).get("selection", {}).get("points", [])
    for point in reversed(points):
        value = point.get("customdata")
        if isinstance(value, (list, tuple)) and value:
            value = value[0]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value)
    return None


def clicked_index(chart_key):
    """customdata (a point's index) of the last clicked point of a chart, or None."""
    return point_index(st.session_state.get(chart_key))
