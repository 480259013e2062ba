"""``for_projector``: any figure restyled for a projector (presenter mode, ui/presenter.py).

A projected chart is read from the back of a room, often washed out: text at least
``MIN_FONT`` px (titles ``MIN_TITLE_FONT``), markers and lines ``SCALE`` × larger, and the
palette's colours below 3 : 1 on white (WCAG) replaced by darker ones of the same hue.
It works on the built figure, so every builder (these and the pages' own) gets it with one
call at the place the figure is shown; the normal output of the builders is untouched.
"""

from __future__ import annotations

import base64
import re

import numpy as np
import plotly.graph_objects as go

MIN_FONT = 18
MIN_TITLE_FONT = 22
#: Markers and lines grow by this factor.
SCALE = 1.5
#: Fixed colours that reach less than 3 : 1 on white, and their presenter versions: the same
#: hue darkened just past 3 : 1 (tests/ui/test_presenter.py checks both facts).
DARKER = {
    "#e69f00": "#c28600",  # Okabe-Ito orange
    "#56b4e9": "#499ac8",  # sky blue
    "#b8a500": "#8f8000",  # the palette's mustard (as palette.PRESENTER: apart from orange)
    "#999999": "#929292",  # grey
}
_RGBA = re.compile(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(,\s*[\d.]+)?\)")


_DARKER_RGB = {tuple(int(k[i : i + 2], 16) for i in (1, 3, 5)): v for k, v in DARKER.items()}


def darker_color(color):
    """``color`` with a low-contrast palette colour replaced ('#rrggbb' or 'rgba(...)');
    anything else (arrays of per-point colours, named colours) unchanged."""
    if not isinstance(color, str):
        return color
    low = color.lower()
    if low in DARKER:
        return DARKER[low]
    match = _RGBA.fullmatch(low.replace(" ", ""))
    if match:
        rgb = tuple(int(v) for v in match.group(1, 2, 3))
        if rgb in _DARKER_RGB:
            new = _DARKER_RGB[rgb]
            r, g, b = (int(new[i : i + 2], 16) for i in (1, 3, 5))
            alpha = match.group(4)
            return f"rgba({r},{g},{b}{alpha})" if alpha else f"rgb({r},{g},{b})"
    return color


def _array(value) -> np.ndarray:
    """A list, an array, or Plotly's base64 typed-array dict (``to_dict`` makes those of
    NumPy arrays) as a float array."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if isinstance(shape, str):
            shape = tuple(int(v) for v in shape.split(","))
        return flat.reshape(shape or -1).astype(float)
    return np.asarray(value, dtype=float)


def _font(owner: dict, key: str, size: int):
    """Raise ``owner[key]["size"]`` (a font) to at least ``size``; arrays element by element.
    A font not given is created: Plotly's own default (12 px) would apply otherwise."""
    font = owner.setdefault(key, {})
    current = font.get("size")
    if current is None or np.isscalar(current):
        font["size"] = max(current or 0, size)
    else:
        font["size"] = np.maximum(_array(current), size)


def _scaled(value):
    if np.isscalar(value):
        return value * SCALE
    return _array(value) * SCALE


def _line(trace: dict, default: float | None):
    line = trace.get("line")
    if line is None and default is None:
        return
    line = trace.setdefault("line", {})
    width = line.get("width", default)
    if width:
        line["width"] = _scaled(width)
    if "color" in line:
        line["color"] = darker_color(line["color"])


def _trace(trace: dict):
    """One trace: larger markers, wider lines, bigger text, darker low-contrast colours."""
    marker = trace.get("marker")
    if marker is not None:
        if marker.get("size") is not None:
            marker["size"] = _scaled(marker["size"])
        if "color" in marker:
            marker["color"] = darker_color(marker["color"])
        if isinstance(marker.get("line"), dict) and marker["line"].get("width"):
            marker["line"]["width"] = _scaled(marker["line"]["width"])
        if "colorbar" in marker:
            _colorbar(marker["colorbar"])
    mode = trace.get("mode") or ""
    # A line drawn without a width has Plotly's 2 px: it grows too.
    _line(trace, 2.0 if "lines" in mode or trace.get("type") == "contour" else None)
    if "fillcolor" in trace:
        trace["fillcolor"] = darker_color(trace["fillcolor"])
    for key in ("textfont", "insidetextfont", "outsidetextfont"):
        if key in trace or (key == "textfont" and ("text" in mode or "texttemplate" in trace)):
            _font(trace, key, MIN_FONT)
    if "colorbar" in trace or trace.get("showscale"):
        _colorbar(trace.setdefault("colorbar", {}))
    if "hoverlabel" in trace:
        _font(trace["hoverlabel"], "font", MIN_FONT)


def _colorbar(colorbar: dict):
    _font(colorbar, "tickfont", MIN_FONT)
    title = colorbar.setdefault("title", {})
    if isinstance(title, dict):
        _font(title, "font", MIN_FONT)


def _axis(axis: dict):
    _font(axis, "tickfont", MIN_FONT)
    title = axis.setdefault("title", {})
    if isinstance(title, dict):
        _font(title, "font", MIN_FONT)


def for_projector(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` restyled for a projector.

    Every text of the figure at least ``MIN_FONT`` px (the title ``MIN_TITLE_FONT``):
    the global font, the title, every axis' ticks and title, the legend, annotations,
    colour bars, trace text and hover labels; markers and line widths × ``SCALE``; the
    low-contrast colours of ``DARKER`` darkened. Works on the figure's dict (Plotly's
    per-property objects cost ≈ 120 ms a figure here; this ≈ a copy).
    """
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    _font(layout, "font", MIN_FONT)
    title = layout.setdefault("title", {})
    _font(title, "font", MIN_TITLE_FONT)
    legend = layout.setdefault("legend", {})
    _font(legend, "font", MIN_FONT)
    if legend.get("orientation") == "h" and legend.get("yref") == "container":
        # A row of entries below the chart wraps at the plot area's width by default; the
        # figure's full width holds more of the larger entries.
        legend.setdefault("xref", "container")
    _font(layout.setdefault("hoverlabel", {}), "font", MIN_FONT)
    if "coloraxis" in layout:
        _colorbar(layout["coloraxis"].setdefault("colorbar", {}))
    axes = [key for key in layout if key.startswith(("xaxis", "yaxis"))]
    for key in axes or ["xaxis", "yaxis"]:
        _axis(layout.setdefault(key, {}))
    for note in layout.get("annotations", ()):
        _font(note, "font", MIN_FONT)
        if "arrowcolor" in note:
            note["arrowcolor"] = darker_color(note["arrowcolor"])
        if note.get("arrowwidth"):
            note["arrowwidth"] = _scaled(note["arrowwidth"])
    for shape in layout.get("shapes", ()):
        if isinstance(shape.get("line"), dict) and shape["line"].get("width"):
            shape["line"]["width"] = _scaled(shape["line"]["width"])
    margin = layout.setdefault("margin", {})
    if title.get("text") and margin.get("t", 80) < 64:
        margin["t"] = 64  # room for a 22 px title above the plot
    for trace in spec.get("data", ()):
        _trace(trace)
    return go.Figure(data=spec.get("data", []), layout=layout, frames=spec.get("frames"),
                     _validate=False)


__all__ = ["DARKER", "MIN_FONT", "MIN_TITLE_FONT", "SCALE", "darker_color", "for_projector"]
