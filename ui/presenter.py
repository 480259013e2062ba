"""Presenter mode: the app for a projector, on every page.

On: the sidebar collapsed, Streamlit's toolbar hidden, the page's margins narrowed, chart
text at least 18 px with larger markers and lines (``styled``), and on the Step by step page
a layout that fits the stepping buttons and both charts on a 1024 × 576 screen.

It is kept in the URL as ``?present=1`` (a link opens in presenter mode) and in the session
(the sidebar's "Presenter mode" toggle, key ``KEY``): Streamlit drops the query string on a
page switch, so each full run writes it back from the session. An "Exit presenter mode"
button sits in the top-right corner while it is on, since the sidebar is then closed.
"""

from __future__ import annotations

import contextlib

import plotly.graph_objects as go
import streamlit as st

from . import device, palette
from .figures.projector import for_projector
from .live_chart import image_config

QUERY = "present"
KEY = "presenter_mode"  # the sidebar toggle's session key
EXIT_KEY = "presenter_exit"

#: Presenter mode's page style. The toolbar's contents (Deploy, actions, the main menu, the
#: running indicator) are hidden; the toolbar itself stays, transparent and click-through,
#: for the button that opens the sidebar, and the page starts right of that button instead
#: of 6 rem down.
CSS = """
<style>
[data-testid="stToolbarActions"], [data-testid="stMainMenu"],
[data-testid="stAppDeployButton"], [data-testid="stStatusWidget"],
[data-testid="stDecoration"] { display: none !important; }
[data-testid="stHeader"], [data-testid="stToolbar"] {
    background: transparent; pointer-events: none;
}
[data-testid="stExpandSidebarButton"] { pointer-events: auto; }
[data-testid="stMainBlockContainer"] {
    padding: 0 1rem 1rem 3.75rem !important; max-width: none;
}
.st-key-presenter_exit { position: fixed; top: 1rem; right: 1rem; z-index: 999990;
                         width: auto !important; }
.st-key-presenter_exit button { background: #ffffff; }
/* Step by step's buttons leave the top-right corner to the exit button; other pages start
   below it. */
.st-key-stepping_row { padding-right: 11.5rem; }
[data-testid="stMainBlockContainer"]:not(:has(.st-key-stepping_row)) {
    padding-top: 3.5rem !important;
}
</style>
"""


def _sync() -> bool:
    """Presenter mode on or off for this run: from the session once it has said, else from
    the URL; and the URL made to say it."""
    ss = st.session_state
    if KEY not in ss:
        ss[KEY] = st.query_params.get(QUERY) == "1"
    on = bool(ss[KEY])
    if on and st.query_params.get(QUERY) != "1":
        st.query_params[QUERY] = "1"
    elif not on and QUERY in st.query_params:
        del st.query_params[QUERY]
    return on


def active() -> bool:
    """Is presenter mode on in this session? (Readable from fragments and callbacks.)"""
    ss = st.session_state
    if KEY in ss:
        return bool(ss[KEY])
    return st.query_params.get(QUERY) == "1"


def sidebar_state() -> str:
    """``st.set_page_config``'s ``initial_sidebar_state``: collapsed in presenter mode.

    (Streamlit applies it when it changes, so turning presenter mode on closes the sidebar,
    and a sidebar the user opens again stays open through the reruns.)"""
    return "collapsed" if _sync() else "auto"


def _turn_off():
    st.session_state[KEY] = False


def controls():
    """The sidebar's "Presenter mode" toggle; in presenter mode, the page style and the
    "Exit presenter mode" button. Called once per full run, before the page."""
    on = _sync()
    st.sidebar.toggle("Presenter mode", key=KEY,
                      help="For a projector: sidebar closed, larger chart text, markers and "
                           "lines, high-contrast colours; on Step by step the buttons and both "
                           "charts fit a 1024 × 576 screen. The link keeps it (?present=1).")
    if on:
        st.html(CSS)
        with st.container(key=EXIT_KEY):
            st.button("Exit presenter mode", icon=":material/close_fullscreen:",
                      on_click=_turn_off)


def styled(fig: go.Figure) -> go.Figure:
    """``fig`` as this session shows it: restyled ``for_projector`` in presenter mode, for a
    phone's screen on a phone (``ui.device``)."""
    return for_projector(fig) if active() else device.styled(fig)


@contextlib.contextmanager
def colors():
    """Within the block, figures are built with presenter mode's high-contrast palette when
    it is on (``palette.PRESENTER``); otherwise nothing changes."""
    if not active():
        yield
        return
    with palette.using(palette.PRESENTER):
        yield


def plotly_chart(fig: go.Figure, **kwargs):
    """``st.plotly_chart`` of ``fig`` as this session shows it (``styled``): the pages' charts
    call this in its place, so presenter mode reaches every chart of every page."""
    # The camera button saves a slide-size PNG on every chart (live charts add an SVG one).
    kwargs["config"] = {**image_config(), **device.chart_config(), **kwargs.get("config", {})}
    return st.plotly_chart(styled(fig), **kwargs)
