"""The device a page is shown on: a phone (a window at most ``PHONE_MAX_WIDTH`` px wide) or not.

Streamlit 1.67's ``st.context`` knows the headers, the locale, the theme, but not the width
of the window, so a tiny component (``device_frontend/``, plain HTML, no build) reads it from
the app's window and reports "phone" or "wide": once on load, then only when a rotation or a
resize crosses the line (a rerun then switches the layout; dragging a desktop window reruns
nothing). Before it has reported (the very first run of a session), the browser's
User-Agent decides ("Mobi" is in every phone browser's, not in a tablet's or a laptop's).

The pages ask ``is_phone()``; ``styled`` is applied to every chart (through
``ui.presenter.styled``) and ``CSS`` keeps any page within a phone's width.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

PHONE_MAX_WIDTH = 640
KEY = "device_class"  # the probe's value: "phone" or "wide"
#: Its (hidden) container, keyed ``device_probe_phone`` or ``device_probe_wide`` (the class
#: the page was laid out for, reported; browser tests wait for it), ``device_probe_guess_…``
#: before the report.
PROBE_KEY = "device_probe"
#: A container with this key stays at the top of a phone's screen while the page scrolls.
STICKY_ROW = "phone_sticky_row"

_probe = components.declare_component(
    "device_probe", path=str(Path(__file__).resolve().parent / "device_frontend"))

#: Always on (media queries, so right before the probe has reported too): the probe takes no
#: room; captions in a grey that reaches WCAG AA's 4.5 : 1 on white (Streamlit's own grey,
#: #828180, reaches 3.9 : 1); on a phone nothing is wider than the screen (tables and code
#: scroll in their own box, KaTeX blocks too), the page's top margin is smaller and the tap
#: targets stay 44 px.
CSS = f"""
<style>
[class*="st-key-{PROBE_KEY}_"] {{
  position: absolute !important; width: 0; height: 0; overflow: hidden; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{
  color: #5c5f6e !important; opacity: 1 !important; }}
@media (max-width: {PHONE_MAX_WIDTH}px) {{
  [data-testid="stMainBlockContainer"] {{ padding: 3.75rem 0.75rem 2rem !important; }}
  h1 {{ font-size: 1.6rem !important; padding-top: 0.25rem !important; }}
  h2 {{ font-size: 1.35rem !important; }}
  h3 {{ font-size: 1.15rem !important; }}
  [data-testid="stTable"], [data-testid="stCode"], .katex-display,
  [data-testid="stMarkdownContainer"] table {{ max-width: 100%; overflow-x: auto; }}
  [data-testid="stHorizontalBlock"] {{ flex-wrap: wrap; }}
  [data-testid="stColumn"] {{ min-width: min(100%, 18rem) !important; }}
  .stButton button {{ min-height: 44px; }}
  .st-key-stepping_row_compact, .st-key-{STICKY_ROW} {{ gap: 0.5rem !important; }}
  .st-key-stepping_row_compact button, .st-key-{STICKY_ROW} button {{
    padding-left: 0.55rem; padding-right: 0.55rem; }}
  /* (Streamlit wraps a keyed row in a layout wrapper of the row's own height: the wrapper
     is what can stick within the page.) */
  [data-testid="stLayoutWrapper"]:has(> .st-key-{STICKY_ROW}) {{
    position: sticky; top: 3.75rem; z-index: 99; background: #ffffff;
    padding: 0.25rem 0; box-shadow: 0 6px 6px -6px rgba(0, 0, 0, 0.25); }}
}}
</style>
"""

_MOBILE_AGENT = "Mobi"


def probe():
    """The width probe and the always-on CSS; called once per full run (app.py)."""
    st.html(CSS)
    cls = "phone" if is_phone() else "wide"
    if st.session_state.get(KEY) not in ("phone", "wide"):
        cls = f"guess_{cls}"  # not reported yet: a rerun will follow the report
    with st.container(key=f"{PROBE_KEY}_{cls}"):
        _probe(known=st.session_state.get(KEY), max_width=PHONE_MAX_WIDTH, key=KEY,
               default=None)


def _guess() -> bool:
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no request (AppTest, a bare script run): a desktop
        return False
    return _MOBILE_AGENT in agent


def reported() -> bool:
    """Has the probe reported this window's width yet (it reruns the page when it does)?"""
    return st.session_state.get(KEY) in ("phone", "wide")


def is_phone() -> bool:
    """Is this session's window a phone's? (The probe's report, else the User-Agent's.)"""
    reported = st.session_state.get(KEY)
    if reported in ("phone", "wide"):
        return reported == "phone"
    return _guess()


#: A phone chart's x and y axes show at most this many ticks (labels would collide).
PHONE_TICKS = 5
#: A phone chart's title: lines of at most this many characters, at most this size (px).
TITLE_CHARS, TITLE_FONT = 44, 14


def wrap_title(text: str, width: int = TITLE_CHARS) -> list[str]:
    """A chart title's lines (Plotly's ``<br>``) broken at spaces to ``width`` characters."""
    lines = []
    for part in text.split("<br>"):
        line = ""
        for word in part.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return lines


def chart_config() -> dict:
    """Plotly config on this device: a phone has no toolbar (it covers the chart's title on
    a narrow chart, and a zoom box is no gesture for a finger)."""
    return {"displayModeBar": False} if is_phone() else {}


def for_phone(fig: go.Figure) -> go.Figure:
    """``fig`` readable on a phone: fewer ticks, slim margins, the legend in a row below the
    plot (a legend beside it takes half a phone's width), and no drag-to-zoom, so a finger
    swiping over the chart scrolls the page (a tap still picks a point). Works on the
    figure's dict."""
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    layout["dragmode"] = False
    for key in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
        axis = layout.setdefault(key, {})
        axis["nticks"] = min(axis.get("nticks") or PHONE_TICKS, PHONE_TICKS)
    legend = layout.setdefault("legend", {})
    if legend.get("orientation") != "h":
        legend.update(orientation="h", yref="container", y=0, yanchor="bottom", x=0,
                      xanchor="left")
    margin = layout.setdefault("margin", {})
    for side in ("l", "r"):
        margin[side] = min(margin.get(side, 10), 10)
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text"):
        lines = wrap_title(title["text"])
        title["text"] = "<br>".join(lines)
        font = title.setdefault("font", {})
        font["size"] = min(font.get("size") or TITLE_FONT, TITLE_FONT)
        margin["t"] = max(margin.get("t", 0), 18 + 18 * len(lines))
    return go.Figure(data=spec.get("data", []), layout=layout, frames=spec.get("frames"),
                     _validate=False)


def styled(fig: go.Figure) -> go.Figure:
    """``fig`` as this device shows it (``for_phone`` on a phone)."""
    return for_phone(fig) if is_phone() else fig
