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
    padding-top: 0.75rem !important;
}
/* Every text at least 18 px for the back of a room: captions, labels, metric labels,
   buttons, tables, tabs (headings, metric values and formulas are larger already; the
   charts' own text is for_projector's). */
[data-testid="stMain"] *:not(h1, h2, h3, h1 *, h2 *, h3 *, .katex, .katex *, svg, svg *,
    [data-testid="stMetricValue"], [data-testid="stMetricValue"] *) {
    font-size: max(18px, 1em) !important;
}
[data-testid="stMain"] :is(h1, h1 *) { font-size: 1.75rem !important; }
/* Formulas: their sub- and superscripts (0.7 of the formula) at 18 px or more too. */
[data-testid="stMain"] .katex { font-size: 1.45em !important; }
[data-testid="stMain"] h1 { padding: 0 12rem 0 0 !important; }
[data-testid="stMain"] :is(h2, h2 *) { font-size: 1.5rem !important; }
[data-testid="stMain"] :is(h2, h3) { padding: 0.25rem 0 !important; }
/* A page's introduction under its title waits below: the lecturer says it. */
[data-testid="stElementContainer"]:has(h1)
    + [data-testid="stElementContainer"]:has([data-testid="stCaptionContainer"]) {
    display: none;
}
/* The main chart and its controls first (CSS order: the page's own order is unchanged for
   a laptop): on Model selection the criterion controls and the tabs (the open tab's chart
   first, by the tab-panel rule below), on Initializations the
   lockstep buttons and the runs, in an Applications tab its toggles and then its charts;
   the title stays first. */
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :has(h1) {
    order: -4; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
    > :has(.st-key-ms_controls, .st-key-lockstep_row) { order: -3; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
    > :is(.st-key-ms_section, :has(.st-key-ms_section), :has(.st-key-init_panels)) {
    order: -2; }
[data-testid="stTabPanel"] [data-testid="stVerticalBlock"]
    > :has([data-testid="stPlotlyChart"]) { order: -2; }
[data-testid="stTabPanel"] [data-testid="stVerticalBlock"]
    > :has([data-testid="stCheckbox"]):not(:has([data-testid="stPlotlyChart"])) { order: -3; }
.st-key-lockstep_row { padding-right: 11.5rem; }
/* The rows of buttons stay one row at 18 px. */
:is(.st-key-stepping_row, .st-key-lockstep_row) { gap: 0.5rem !important; }
:is(.st-key-stepping_row, .st-key-lockstep_row) button { padding: 0 0.6rem !important; }
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


#: In presenter mode a chart is at most this tall (px), so a page's main chart and its
#: controls fit a 1024 × 576 screen (the Lesson: its title and Back/Next row above it).
MAX_CHART_HEIGHT = 260


def plotly_chart(fig: go.Figure, **kwargs):
    """``st.plotly_chart`` of ``fig`` as this session shows it (``styled``): the pages' charts
    call this in its place, so presenter mode reaches every chart of every page (at most
    ``MAX_CHART_HEIGHT`` px tall there)."""
    if active() and (fig.layout.height or 450) > MAX_CHART_HEIGHT:
        fig = go.Figure(fig).update_layout(height=MAX_CHART_HEIGHT)
    # The camera button saves a slide-size PNG on every chart (live charts add an SVG one).
    kwargs["config"] = {**image_config(), **device.chart_config(), **kwargs.get("config", {})}
    return st.plotly_chart(styled(fig), **kwargs)
