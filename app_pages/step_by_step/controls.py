"""The Step by step page's controls: stepping buttons with Play, the chart toggles, the data
chart (or the chart for placing means), and the history slider with its chart."""

from __future__ import annotations

import streamlit as st

from gmm_core import EMEngine
from gmm_core.datasets import Dataset
from ui import figures, presenter, session
from ui.live_chart import live_chart
from ui.playback import DEFAULT_SPEED, SPEEDS
from ui.session import Settings, kept, shared

from . import grab as grab_mod
from . import keys
from .panels import PHASES
from .run import PLAYER, continue_here, on_chart_select, on_history_select


def pin_ui(k: int) -> tuple[int, ...]:
    """Sidebar: components whose mean EM keeps where the start put them (0-based)."""
    ss = st.session_state
    if any(z > k for z in ss.get(keys.PINNED) or ()):  # K went down: drop the gone ones
        ss[keys.PINNED] = [z for z in ss[keys.PINNED] if z <= k]
    with st.sidebar:
        chosen = st.multiselect(
            "Pin means μ_z", list(range(1, k + 1)), key=keys.PINNED,
            format_func=lambda z: f"component {z}", placeholder="none pinned",
            help="EM keeps these components' means μ_z where the start put them "
                 "(gmm_core's frozen={'means': [...]}) and fits everything else: watch the "
                 "other components adapt around them. Changing this starts a new run.")
    return tuple(sorted(z - 1 for z in chosen))


def stepping_ui(engine: EMEngine, settings: Settings, rate_in=None, compact=False):
    """The stepping buttons (callbacks change the run) and Play / Pause with a speed; the
    rate measured while playing is shown at the end of the row, or in the container
    ``rate_in`` (presenter mode: the row must not wrap). ``compact`` (a phone): E-step,
    M-step, Full iteration and Play in one row, the rest in a "More" popover at its end."""
    if compact:
        return _compact_stepping_ui(engine, settings, rate_in)
    e_next = engine.next_phase == "E"
    playing = PLAYER.playing
    presenting = presenter.active()
    # One row that wraps on narrow screens (fixed columns cut the labels off).
    row = st.container(horizontal=True, vertical_alignment="center", key="stepping_row")
    with row:
        st.button("E-step", on_click=PLAYER.e_step, disabled=not e_next,
                  help="Recompute every point's responsibilities γ from the current π, μ, Σ.")
        st.button("M-step", on_click=PLAYER.m_step, disabled=e_next,
                  help="Re-estimate π, μ, Σ from the responsibilities (needs an E-step first).")
        st.button("Full iteration", on_click=PLAYER.iteration)
        st.button("Run to convergence", on_click=PLAYER.run, args=(settings.max_iter,))
        st.button("Reset", on_click=PLAYER.reset,
                  help="Back to the start of this run (same initialisation).")
        st.button("Pause" if playing else "Play", on_click=PLAYER.toggle_play,
                  type="primary" if playing else "secondary")
    # Presenter mode: the speed under the charts too, so the row stays one row beside the
    # exit button at 18 px.
    with rate_in if presenting and rate_in is not None else row:
        st.selectbox("Speed", list(SPEEDS), label_visibility="collapsed",
                     width=190,
                     help="How often Play's timer asks for a half-step; a slow redraw makes it "
                          "slower, and the rate measured is shown while playing.",
                     **kept(keys.SPEED, DEFAULT_SPEED))
    rate = PLAYER.measured_rate() if playing else None
    if rate is not None:
        with rate_in if rate_in is not None else row:
            st.caption(f"≈ {rate:.1f} half-steps / s", width="content")


def _compact_stepping_ui(engine: EMEngine, settings: Settings, rate_in):
    e_next = engine.next_phase == "E"
    playing = PLAYER.playing
    row = st.container(horizontal=True, vertical_alignment="center", gap="small",
                       key="stepping_row_compact")
    with row:
        st.button("E-step", on_click=PLAYER.e_step, disabled=not e_next)
        st.button("M-step", on_click=PLAYER.m_step, disabled=e_next)
        st.button("Full iteration", on_click=PLAYER.iteration)
        st.button("Pause" if playing else "Play", on_click=PLAYER.toggle_play,
                  type="primary" if playing else "secondary")
        with st.popover("More", help="Run to convergence, Reset and Play's speed"):
            st.button("Run to convergence", on_click=PLAYER.run, args=(settings.max_iter,))
            st.button("Reset", on_click=PLAYER.reset,
                      help="Back to the start of this run (same initialisation).")
            st.selectbox("Speed", list(SPEEDS), **kept(keys.SPEED, DEFAULT_SPEED))
    rate = PLAYER.measured_rate() if playing else None
    if rate is not None:
        with rate_in if rate_in is not None else row:
            st.caption(f"≈ {rate:.1f} half-steps / s", width="content")


def status_line_ui(record):
    """One line above a phone's chart: the iteration, the phase and the log-likelihood."""
    ll = record.log_likelihood
    value = f"{ll:.4e}" if abs(ll) >= 1e6 else f"{ll:,.3f}"
    with st.container(key="status_line"):
        st.markdown(f"**Iteration {record.iteration}** · {PHASES[record.phase]} · "
                    f"log-likelihood **{value}**")


def chart_options_ui(d: int, has_labels: bool, has_gamma: bool = True) -> dict:
    """The data chart's toggles; the two that show responsibilities wait for an E-step."""
    if d == 1:
        return {}
    wait = None if has_gamma else "Needs responsibilities: press E-step first."
    with st.container(horizontal=True, gap="medium"):
        return dict(
            hard_labels=st.toggle("Hard labels", disabled=not has_gamma, help=wait,
                                  **kept(keys.OPT_HARD, False)),
            uncertainty=st.toggle("Uncertainty (1 − max γ)", disabled=not has_gamma, help=wait,
                                  **kept(keys.OPT_UNCERTAINTY, False)),
            sigmas=(1, 2, 3) if st.toggle("3σ ellipse", **kept(keys.OPT_3SIGMA, False))
            else (1, 2),
            density=st.toggle("Density contours", **kept(keys.OPT_DENSITY, False)),
        )


def main_chart_ui(engine, data: Dataset, record, history, options, height=None, grab=False):
    """The data chart for the viewed record (``height`` px tall if given, else the builder's
    own); clicking a point selects it (or places a mean). With ``grab`` the components can
    be dragged (``grab.py``): the points are drawn as the γ blend then."""
    ss = st.session_state
    # a hand-set record: the γ of its own parameters, as the drag drew them
    resp = (record.params.responsibilities(data.X) if record.phase == "set"
            else engine.responsibilities_at(record.index))
    if grab:
        options = {**options, "hard_labels": False, "uncertainty": False, "density": False}
    previous = history[record.index - 1] if record.phase == "M" else None
    selected = ss.get(session.SELECTED_POINT)
    uirevision = str(session.data_key())
    sized = {} if height is None else {"height": height}
    if data.X.shape[1] == 1:
        fig = figures.density_1d_figure(data.X, record, resp, previous=previous,
                                        selected=selected, feature_name=data.feature_names[0],
                                        uirevision=uirevision, **sized)
    else:
        show = ss.get(session.SHOW_LABELS) and data.labels is not None
        fig = figures.mixture_figure(data.X, record, resp, previous=previous,
                                     true_labels=data.labels if show else None,
                                     selected=selected, feature_names=data.feature_names,
                                     label_names=data.label_names or (),
                                     same_units=data.same_units,
                                     sample_weight=data.sample_weight,
                                     uirevision=uirevision, **options, **sized)
    fig = presenter.styled(fig)
    dragging = (grab_mod.drag_for(fig, data, engine, record, engine.covariance_type)
                if grab else None)
    live_chart(fig, key=keys.MAIN_CHART, revision=record.index, drag=dragging,
               on_click=lambda: grab_mod.on_drop(keys.MAIN_CHART)
               or on_chart_select(keys.MAIN_CHART),
               description=chart_description(record))


def _num(v: float) -> str:
    return f"{v:.3g}".replace("-", "−")


def chart_description(record) -> str:
    """The data chart in words, for a screen reader: the half-step, and each component's
    mean and weight ("Iteration 3, M-step: 3 components; component 1 mean (0.1, 0.2),
    weight 0.55; …")."""
    params = record.params
    parts = [f"component {z + 1} mean ({', '.join(_num(v) for v in params.means[z])}), "
             f"weight {params.weights[z]:.2f}" for z in range(params.n_components)]
    ll = f"{record.log_likelihood:,.3f}".replace("-", "−")
    return (f"Iteration {record.iteration}, {PHASES.get(record.phase, record.phase)}: "
            f"{params.n_components} components; " + "; ".join(parts)
            + f". Log-likelihood {ll}.")


def _clear_placed():
    st.session_state[session.PLACED_MEANS] = []


def placing_ui(data: Dataset, settings: Settings):
    """Chart for placing the means by clicking points, before the run can start."""
    placed = st.session_state.setdefault(session.PLACED_MEANS, [])
    left = settings.n_components - len(placed)
    st.info(f"Click {left} more data point(s) on the chart to place the means "
            f"({len(placed)} of {settings.n_components} placed).")
    st.button("Clear placed means", on_click=_clear_placed)
    fig = figures.placing_figure(data.X, placed)
    live_chart(presenter.styled(fig), key=keys.PLACING_CHART, revision=len(placed),
               on_click=lambda: on_chart_select(keys.PLACING_CHART))


def history_ui(history, view):
    """The history slider, "Continue from here", and the log-likelihood chart (a click on a
    point shows that half-step)."""
    history_slider_ui(history, view)
    log_likelihood_ui(history, view)


def history_slider_ui(history, view):
    """The history slider and "Continue from here" (from the second record on)."""
    last = len(history) - 1
    if last > 0:
        st.slider("History (half-step)", 0, last, **shared(keys.VIEW_INDEX),
                  help="Go back to any earlier half-step; 'Continue from here' branches from it.")
        if view < last:
            st.button("Continue from here", on_click=continue_here,
                      help="Drop the later half-steps and step on from this one.")


def log_likelihood_ui(history, view, height=None):
    """The log-likelihood chart (``height`` px tall if given); a click on a point shows that
    half-step."""
    sized = {} if height is None else {"height": height}
    fig = presenter.styled(figures.log_likelihood_figure(history, view, **sized))
    if presenter.active():
        # Plotly gives every entry of a wrapping legend the widest one's width: in this
        # half-width chart at 18 px, one entry a row (5 rows over the plot). Two a row,
        # the widest last, alone in its row:
        fig.update_layout(legend_entrywidthmode="fraction", legend_entrywidth=0.5)
        fig.update_traces(legendrank=2000, selector={"name": "lower bound (ELBO)"})
    record = history[view]
    ll = f"{record.log_likelihood:,.3f}".replace("-", "−")
    live_chart(fig, key=keys.LL_CHART, revision=view,
               on_click=lambda: on_history_select(keys.LL_CHART),
               description=f"Log-likelihood at every half-step: {len(history)} half-steps "
                           f"so far; shown: iteration {record.iteration}, "
                           f"{PHASES[record.phase]}, log-likelihood {ll}.")
