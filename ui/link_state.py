"""Links that reproduce a run: the URL read once on load, the settings written back after
each run, and the "Copy link" control. The codec itself is ``ui.links``.

How a link travels: ``read_link`` (top of every full run, before any widget) compares the
URL's parameters with the ones this session last wrote; only a URL that differs (a fresh
browser, a reload, a pasted link) is applied, through the kept settings
(``session.set_kept``). Values that need the data or the run (placed means, the half-step)
wait in ``PENDING`` until the page has them. ``write_link`` (end of every full run) writes
what is in use back, only the parameters that changed (writing does not rerun); the Step
by step fragment writes the half-step itself (``write_view``).
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.errors import StreamlitAPIException

from . import data as data_mod
from . import device, link_moves, links, session
from .links import AT, MEANS, MOVES, RAN, RESERVED, PageFields
from .settings import COLUMN_DEFAULTS, FIRST_SCREEN

WRITTEN = "link_written"  # {name: text} of this session's parameters as last written
PENDING = "link_pending"  # {"means": rows, "at": int, "ran": int} waiting for the data / run
VIEW = "link_view"  # (at, ran) of the Step by step run, as the page last showed it
NOTICES = "link_notices"  # the container at the top of the page that notices go to
#: A link's notices shown before the width probe (``ui.device``) first reported: its report
#: reruns the page once, and they are shown again then (else they would flash and vanish).
KEPT = "link_notices_kept"
VIEW_MOVES = "link_view_moves"  # the Step by step run's hand-set records as ``moves`` text


def _defaults() -> dict:
    return {**FIRST_SCREEN, **COLUMN_DEFAULTS}


def current_values(page: PageFields) -> dict:
    """The values in use by session key (the kept ones; the first screen's before any)."""
    ss = st.session_state
    defaults = _defaults()
    values = {}
    for f in page.all_fields():
        # The widget's value first (a page's plain widget has no kept store), then the
        # kept store (a kept widget not drawn this run), then the first screen's.
        value = ss.get(f.key, session.kept_value(f.key, defaults.get(f.key)))
        if value is not None:
            values[f.key] = value
    return values


def _mine(params) -> dict[str, str]:
    return {k: params[k] for k in params if k not in RESERVED}


# ------------------------------------------------------------------------------------------
# Reading


def read_link(page: PageFields, known=()):
    """Apply the URL's parameters if they are not the ones this session wrote; show a
    notice for each one ignored. Call before the page draws any widget."""
    ss = st.session_state
    ss[NOTICES] = box = st.container()
    params = _mine(st.query_params)
    if params == ss.get(WRITTEN):
        for text in ss.pop(KEPT, ()) if device.reported() else ():
            box.warning(text, icon=":material/link_off:")
        return
    ss[WRITTEN] = params  # applied once: a rerun finds the same URL
    ss.pop(KEPT, None)  # a new link: the last one's notices are gone
    if not params:
        return  # a page switch drops the parameters: nothing to apply
    link = links.parse(params, current_values(page), page, known)
    later = {MEANS, AT, RAN, MOVES} | {f.key for f in page.all_fields() if f.later}
    pending = {name: link.values.pop(name) for name in later if name in link.values}
    for key, value in link.values.items():
        session.set_kept(key, value)
    if link.upload:
        # Its placed means and half-step belong to data this session does not have.
        link.notices.append("This link was made on uploaded data, which cannot travel in a "
                            "link: upload the same CSV file to see its run (the link's other "
                            "settings are set; its half-step is not shown).")
    elif pending:
        ss[PENDING] = pending
    for text in link.notices:
        notice(text)


def notice(text: str):
    """A notice about the link, at the top of the page (kept for the probe's rerun)."""
    ss = st.session_state
    box = ss.get(NOTICES)
    (box or st).warning(text, icon=":material/link_off:")
    if not device.reported():
        ss.setdefault(KEPT, []).append(text)


def take_placed_means(data):
    """The link's placed means (data row numbers), placed now that the data are loaded."""
    pending = st.session_state.get(PENDING) or {}
    rows = pending.pop(MEANS, None)
    if rows is None:
        return
    n = len(data.X)
    if any(r >= n for r in rows):
        notice(f"This link places means at rows {', '.join(map(str, rows))}, but the data "
               f"have rows 0 to {n - 1}; they were ignored: click the data points to place "
               "the means.")
        return
    st.session_state[session.PLACED_MEANS] = [[float(v) for v in data.X[r]] for r in rows]


def take_view(engine, max_iter: int, step_errors) -> int | None:
    """Step a new run to the link's half-steps and return the one to show (None: no link
    half-step waiting). A run ends at iteration ``max_iter``'s M-step (the E-step and
    M-step buttons step on past convergence, so a link may too)."""
    pending = st.session_state.get(PENDING) or {}
    if AT not in pending and RAN not in pending:
        return None
    moves = pending.pop(MOVES, None) or {}
    at = pending.pop(AT, None)
    ran = pending.pop(RAN, at)
    at = ran if at is None else at
    end = 2 * max_iter
    if ran > end:
        notice(f"This link asked for half-step {ran}, but this run ends at half-step {end} "
               f"(iteration {max_iter}'s M-step, with max iterations = {max_iter}); showing "
               f"half-step {min(at, end)}.")
        ran, at = end, min(at, end)
    if moves:
        engine.rewind(0)  # records set by hand are replayed from the start
    elif len(engine.history) - 1 >= ran:
        engine.rewind(ran)
    while len(engine.history) - 1 < ran:
        try:
            move = moves.get(len(engine.history))
            if move is not None:
                engine.set_parameters(link_moves.parameters(move, engine.params),
                                      note=link_moves.NOTE)
            else:
                engine.e_step() if engine.next_phase == "E" else engine.m_step()
        except step_errors as exc:
            last = len(engine.history) - 1
            notice(f"This link asked for half-step {ran}, but this run stops at half-step "
                   f"{last}: {exc} Showing half-step {min(at, last)}.")
            ran, at = last, min(at, last)
            break
    return at


def take_pending(key):
    """A page's own waiting link value (a ``Field`` with ``later``), once; None if none."""
    return (st.session_state.get(PENDING) or {}).pop(key, None)


def write_params(wanted: dict[str, str]):
    """Write some of this page's parameters at once, from a fragment (a Play tick) that
    ``write_link`` at the end of a full run does not follow; cheap when nothing changed."""
    qp = st.query_params
    if any(qp.get(k) != v for k, v in wanted.items()):
        qp.update(wanted)
    st.session_state[WRITTEN] = _mine(qp)


def drop_view_request(why: str):
    """A link's half-step that cannot be shown (no run yet): say so once."""
    pending = st.session_state.get(PENDING) or {}
    if AT in pending or RAN in pending:
        pending.pop(AT, None)
        pending.pop(RAN, None)
        notice(f"This link's half-step was not shown: {why}")


# ------------------------------------------------------------------------------------------
# Writing


def _placed_rows(data) -> tuple[int, ...] | None:
    """The placed means as data row numbers (they are data points: ``run.on_chart_select``)."""
    placed = session.placed_means()
    if data is None or not placed:
        return None
    rows = []
    for mean in placed:
        hits = np.flatnonzero((data.X == np.asarray(mean)).all(axis=1))
        if not len(hits):
            return None
        rows.append(int(hits[0]))
    return tuple(rows)


def write_link(page: PageFields):
    """Write the settings in use to the URL (only what changed). Call after the page."""
    ss = st.session_state
    values = current_values(page)
    names = {f.name for f in page.all_fields()}
    if MEANS in names:
        values[MEANS] = _placed_rows(session.current_data())
    if AT in names and ss.get(VIEW) is not None:
        values[AT], values[RAN] = ss[VIEW]
    if MOVES in names:
        values[MOVES] = ss.get(VIEW_MOVES)
    _write(links.encode(values, page))


def _write(wanted: dict[str, str]):
    """Make this session's parameters in the URL ``wanted``, in the page's order (a link
    reads data first, the half-step last); nothing is sent when nothing changed."""
    qp = st.query_params
    if AT in wanted and wanted.get(RAN) == wanted[AT]:
        del wanted[RAN]  # ran only when the view was rewound below the last half-step
    mine = _mine(qp)
    if list(mine.items()) != list(wanted.items()):
        others = {k: qp.get_all(k) for k in qp if k in RESERVED}
        try:
            qp.from_dict({**wanted, **others})  # one message
        except StreamlitAPIException:  # a reserved parameter bound to a widget
            for name in [k for k in mine if k not in wanted]:
                del qp[name]
            qp.update({k: v for k, v in wanted.items() if mine.get(k) != v})
    st.session_state[WRITTEN] = _mine(qp)


def write_view(at: int, ran: int):
    """The Step by step half-step shown (``at``) and run (``ran``): kept for ``write_link``
    and written to the URL at once if they changed (cheap: two comparisons per click)."""
    ss = st.session_state
    if ss.get(VIEW) == (at, ran):
        return
    ss[VIEW] = (at, ran)
    qp = st.query_params
    wanted = {AT: str(at)} | ({RAN: str(ran)} if ran != at else {})
    if RAN in qp and ran == at:
        del qp[RAN]
    if any(qp.get(k) != v for k, v in wanted.items()):
        qp.update(wanted)
    ss[WRITTEN] = _mine(qp)


def write_moves(text: str | None):
    """The Step by step run's hand-set records (``link_moves.encode``): kept for
    ``write_link`` and written to the URL at once if they changed."""
    ss = st.session_state
    if ss.get(VIEW_MOVES) == text:
        return
    ss[VIEW_MOVES] = text
    qp = st.query_params
    if text is None:
        if MOVES in qp:
            del qp[MOVES]
    elif qp.get(MOVES) != text:
        qp[MOVES] = text
    ss[WRITTEN] = _mine(qp)


def clear_view():
    st.session_state[VIEW] = None
    st.session_state[VIEW_MOVES] = None


# ------------------------------------------------------------------------------------------
# "Copy link"

_COPY_HTML = """<div class="em-copy-link" style="display:flex;align-items:center;gap:.6rem;
flex-wrap:wrap">
<button type="button" data-testid="em-copy-link" title="Copy this page's link (every setting
and the half-step shown) to the clipboard" style="font:inherit;font-size:.95rem;
padding:.3rem .8rem;border-radius:.5rem;border:1px solid rgba(128,128,128,.45);
background:transparent;color:inherit;cursor:pointer">Copy link</button>
<span role="status" style="font-size:.85rem;opacity:.75"></span>
<input readonly aria-label="This page's link" style="display:none;width:100%;font-size:.8rem">
<script>
(() => {
  const root = document.currentScript.parentNode;
  const button = root.querySelector("button");
  const status = root.querySelector("[role=status]");
  const field = root.querySelector("input");
  button.addEventListener("click", async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = "Link copied.";
      field.style.display = "none";
    } catch (e) {
      // No clipboard (a plain-http server that is not localhost): show it to copy by hand.
      field.value = url;
      field.style.display = "block";
      field.select();
      let copied = false;
      try { copied = document.execCommand("copy"); } catch (_) { copied = false; }
      status.textContent = copied ? "Link copied." : "Press Ctrl+C (⌘C) to copy the link.";
    }
  });
})();
</script></div>"""


def copy_link_ui():
    """The "Copy link" button (copies the browser's address: every setting in use and the
    half-step shown), and what a link cannot carry when that applies."""
    st.html(_COPY_HTML, unsafe_allow_javascript=True)
    if session.kept_value(session.DATASET) == data_mod.UPLOAD:
        st.caption("Uploaded data cannot travel in a link: it keeps the other settings, and "
                   "whoever opens it must upload the same file.")
    init = session.kept_value(session.INIT)
    if init is not None and init not in links.INITS.values():
        st.caption("A start from a file cannot travel in a link: it keeps the sidebar's other "
                   "settings, but not the file.")
