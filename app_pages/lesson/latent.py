"""Stop 3: components as a hidden (latent) variable, animated.

The animation is a list of frames: the first few points in two beats each (draw z with
probability π, then x from component z), then the histogram filling up, then the colours
taken away. Play is a fragment with a timer; only a tick that the timer brings moves a
frame (``_clock`` is injectable, so tests drive ticks without waiting)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from lab_maths import lesson as lm
from ui.formulas import subscript
from ui.live_chart import live_chart
from ui.presenter import styled

from . import figures, keys
from .number_format import num

TRUE = lm.TRUE_MIXTURE
N_POINTS = 1000
SEED = 11
FEATURED = 4  # points drawn one beat at a time
FILL = (8, 15, 30, 60, 120, 250, 500, N_POINTS)  # then the histogram fills up
INTERVAL = 1.0  # seconds between frames while playing


@dataclass(frozen=True)
class Frame:
    n: int  # points whose x is drawn
    z_only: int | None = None  # a point whose z is drawn, its x not yet
    coloured: bool = True


def frames() -> list[Frame]:
    out = [Frame(0)]
    for j in range(FEATURED):
        out += [Frame(j, z_only=j), Frame(j + 1)]
    out += [Frame(n) for n in FILL]
    out.append(Frame(N_POINTS, coloured=False))
    return out


FRAMES = frames()
LAST = len(FRAMES) - 1


def _clock() -> float:
    return time.monotonic()


@st.cache_data(show_spinner=False)
def draws():
    return lm.draw_latent(TRUE, N_POINTS, seed=SEED)


def _goto(step: int):
    ss = st.session_state
    ss[keys.L_STEP] = min(max(step, 0), LAST)
    ss[keys.L_PLAYING] = False
    ss[keys.L_HIDE] = not FRAMES[ss[keys.L_STEP]].coloured


def _toggle_play():
    ss = st.session_state
    if ss.get(keys.L_STEP, 0) >= LAST:
        _goto(0)
    ss[keys.L_PLAYING] = not ss.get(keys.L_PLAYING, False)
    ss[keys.L_TICK] = None  # the first run after Play is a tick


def tick(was_playing: bool):
    """Move one frame if Play is on and the timer brought this run (a click or a toggle
    reruns the fragment too, and must not move it); stop at the last frame; rerun the page
    when Play started or stopped (that starts or stops the fragment's timer)."""
    ss = st.session_state
    if ss.get(keys.L_PLAYING):
        now, last = _clock(), ss.get(keys.L_TICK)
        if last is None or now - last >= 0.8 * INTERVAL:
            ss[keys.L_TICK] = now
            ss[keys.L_STEP] = min(ss.get(keys.L_STEP, 0) + 1, LAST)
            if ss[keys.L_STEP] == LAST:
                ss[keys.L_PLAYING] = False
            ss[keys.L_HIDE] = not FRAMES[ss[keys.L_STEP]].coloured
    if bool(ss.get(keys.L_PLAYING)) != was_playing:
        st.rerun()


def describe(frame: Frame, u, z, x) -> str:
    """What the frame shows, in words (markdown)."""
    w = TRUE.weights
    if frame.z_only is not None:
        j = frame.z_only
        side = f"< π₁ = {num(w[0])}" if z[j] == 0 else f"≥ π₁ = {num(w[0])}"
        return (f"**Point {j + 1}, draw z:** u = {u[j]:.3f} {side}, so "
                f"**z = {z[j] + 1}** (probability π{subscript(z[j] + 1)} = "
                f"{num(w[z[j]])}).")
    if 0 < frame.n <= FEATURED:
        j = frame.n - 1
        c = int(z[j])
        return (f"**Point {j + 1}, draw x** from N(μ{subscript(c + 1)} = "
                f"{num(TRUE.means[c])}, σ{subscript(c + 1)}² = {num(TRUE.variances[c])}): "
                f"**x = {x[j]:.2f}**.")
    if frame.n == 0:
        return "Press Play: each point is drawn in two steps."
    shares = [f"{(z[:frame.n] == c).mean():.2f}" for c in range(TRUE.k)]
    return (f"**{frame.n} points.** Shares so far: z = 1: {shares[0]}, z = 2: {shares[1]} "
            f"(π = {num(w[0])}, {num(w[1])}).")


def latent_stop():
    playing = bool(st.session_state.get(keys.L_PLAYING))

    @st.fragment(run_every=INTERVAL if playing else None)
    def stage():
        tick(playing)
        _stage()

    stage()


def _stage():
    ss = st.session_state
    step = ss.setdefault(keys.L_STEP, 0)
    frame = FRAMES[step]
    u, z, x = draws()
    st.markdown(f"The recipe, with π = ({num(TRUE.weights[0])}, {num(TRUE.weights[1])}): "
                "draw the component $z$ with probability $\\pi_z$, then $x$ from "
                "$\\mathcal{N}(\\mu_z, \\sigma_z^2)$.")
    b1, b2, b3, _ = st.columns([1, 1, 1, 1.5])
    b1.button("Pause" if ss.get(keys.L_PLAYING) else "Play", key="lesson_l_play",
              on_click=_toggle_play, type="primary", use_container_width=True)
    b2.button("Step", key="lesson_l_step_btn", on_click=_goto, args=(step + 1,),
              disabled=step >= LAST, use_container_width=True)
    b3.button("Restart", key="lesson_l_restart", on_click=_goto, args=(0,),
              disabled=step == 0, use_container_width=True)
    # its own row: next to the buttons its label was cut at 900 px
    hide = st.toggle("Take the colours away", key=keys.L_HIDE, disabled=frame.n == 0)
    left, right = st.columns([1, 2.2])
    with left:
        st.markdown(describe(frame, u, z, x))
        st.caption(f"Frame {step} of {LAST}")
    with right:
        # updated in place (Plotly.react): no flicker at each frame
        live_chart(styled(figures.latent_figure(u, z, x, frame.n, frame.z_only, TRUE,
                                                coloured=not hide)),
                   key="lesson_fig_latent", revision=f"{step}-{hide}")
        if frame.n and not hide:
            st.caption(r"Bars: the points drawn, by $z$. Dotted: the counts expected, "
                       r"$n \cdot 0.4 \cdot \pi_z \mathcal{N}(x \mid \mu_z, \sigma_z^2)$ "
                       "(0.4: the bar width).")
    if hide:
        st.info("**This is what EM sees**: only the x's. Which component made each point (z) "
                "is hidden: a latent variable EM has to infer.")
