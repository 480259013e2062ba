"""``tap_chart``: a Plotly chart that returns where it was tapped, in data coordinates.

For the students' μ questions: one tap places a mean. Plotly's own click event picks the
nearest *point* from its hover state, which touch screens do not keep (on a phone the second
tap came back as the first); this component reads the pointer itself (``pointerup``, mouse
and touch alike) and converts it with the axes' ``p2l``. The chart is static: a tap never
pans or zooms. Plotly.js is the copy shipped in the ``plotly`` package, copied with the page
into a private per-process folder (as ``ui.live_chart`` does).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import shutil
import tempfile
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit.components.v1 as components

from ui.live_chart import figure_spec

_FRONTEND = Path(__file__).resolve().parent / "tap_chart_frontend"


@functools.cache
def _frontend_dir() -> Path:
    target = Path(tempfile.mkdtemp(prefix="em-playground-tap-chart-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    shutil.copyfile(_FRONTEND / "index.html", target / "index.html")
    shutil.copyfile(Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js",
                    target / "plotly.min.js")
    return target


_component = components.declare_component("tap_chart", path=str(_frontend_dir()))


def tap_chart(fig: go.Figure, *, key: str, revision):
    """Draw ``fig``; the value (``st.session_state[key]``) is the last tap
    ``{"x": …, "y": …, "tap": n}`` (n counts the taps), None before the first."""
    spec = figure_spec(fig)
    digest = hashlib.blake2b(spec, digest_size=12).hexdigest()
    return _component(spec=spec.decode(), digest=digest, revision=str(revision), key=key,
                      default=None)
