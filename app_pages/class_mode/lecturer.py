"""The lecturer's view: the join code, link and QR code; the question menu; open, close,
reveal, reset; the class's answers live on the question's chart, then the truth over them.

Every change goes to the store with the owner token held in this session; the store checks
it (``classroom.store``), so a session without the token cannot change anything whatever it
sends. The live part is a fragment rerun every second (``LIVE_SECONDS``) while the page is
open: the count and the chart follow the answers as they arrive.
"""

from __future__ import annotations

import html
import io

import segno
import streamlit as st

from classroom import ClassStore
from lab_maths import class_questions as cq
from lab_maths.questions import AnswerKind
from ui import presenter
from ui.live_chart import live_chart

from . import figures, keys
from .store_access import attempt

LIVE_SECONDS = 1.0


def join_link(code: str) -> str:
    """The students' link: this page's address with ?join=CODE (never the owner token)."""
    base = (st.context.url or "").split("?")[0].split("#")[0].rstrip("/")
    if not base.endswith("/class"):  # st.context.url ends with the page's path
        base += "/class"
    return f"{base}?join={code}"


@st.cache_data(max_entries=64, show_spinner=False)  # pure: the same link, the same PNG
def qr_png(link: str) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def view(store: ClassStore, code: str, token: str):
    info = attempt(store.get_class, code)
    if info is None:
        st.session_state.pop(keys.OWNER, None)
        return
    # The projector's layout: the way in on the left, the question and its chart on the right
    # (the chart stays above the fold at 1024 × 576).
    left, right = st.columns([1, 2.6], gap="medium")
    with left:
        _join_panel(info.code)
        _end_ui(store, info.code, token)
    with right:
        _question_panel(store, info, token)
        if info.current is not None:
            _live(store, info.code, token, info.current)


def _join_panel(code: str):
    link = join_link(code)
    st.markdown("**Join:** scan, open the link, or type the code on the Class page")
    # The code is made of CODE_ALPHABET letters only: safe in HTML.
    st.markdown(f'<div data-testid="class-join-code" style="font-size:clamp(1.5rem,3.2vw,3.6rem);'
                f'font-weight:700;letter-spacing:0.12em;line-height:1.1;white-space:nowrap;'
                f'font-family:monospace">{code}</div>', unsafe_allow_html=True)
    st.image(qr_png(link), width=180)
    st.code(link, language=None, wrap_lines=True)


def _end_ui(store: ClassStore, code: str, token: str):
    """End the class for everyone, after a confirmation (it cannot be undone)."""
    with st.popover("End class", icon=":material/door_front:"):
        st.markdown(f"Ending deletes class **{code}**: its questions and every answer. "
                    "Students' screens then say the class has ended.")
        st.button("End the class for everyone", type="primary", key="class_end_confirm",
                  on_click=_end, args=(store, code, token))


def _end(store, code, token):
    if attempt(store.end_class, code, token) is None:
        return  # refused (attempt said why): the class goes on
    st.session_state.pop(keys.OWNER, None)
    st.session_state[keys.ENDED] = code
    st.query_params.pop("class", None)


def _question_panel(store: ClassStore, info, token: str):
    pick, ask = st.columns([3, 1.2], vertical_alignment="bottom")
    pick.selectbox("Next question to ask", list(cq.MENU), key=keys.PICK,
                   format_func=lambda k: cq.MENU[k][0])
    ask.button("Ask it", type="primary", icon=":material/campaign:",
               use_container_width=True, on_click=_ask, args=(store, info.code, token))
    if info.current is None:
        st.caption("Pick a question and ask it: it opens at once on every student's screen.")
        return


def _buttons(store, code, token, number, state):
    """Close or Reopen, Reveal, Reset: each goes to the store with the owner token."""
    b = st.columns(3)
    if state == "open":
        b[0].button("Close", icon=":material/lock:", use_container_width=True,
                    on_click=_set, args=(store, code, token, number, "closed"))
    else:
        b[0].button("Reopen", icon=":material/lock_open:", use_container_width=True,
                    disabled=state == "revealed",
                    on_click=_set, args=(store, code, token, number, "open"))
    b[1].button("Reveal", type="primary", icon=":material/visibility:",
                use_container_width=True, disabled=state == "revealed",
                on_click=_set, args=(store, code, token, number, "revealed"))
    b[2].button("Reset", icon=":material/restart_alt:", use_container_width=True,
                help="Drop every answer to this question and open it again",
                on_click=_reset, args=(store, code, token, number))


def _ask(store, code, token):
    key = st.session_state.get(keys.PICK) or next(iter(cq.MENU))
    attempt(store.ask, code, token, cq.build(key))


def _set(store, code, token, number, state):
    attempt(store.set_state, code, token, number, state)


def _reset(store, code, token, number):
    attempt(store.reset, code, token, number)


@st.fragment(run_every=LIVE_SECONDS)
def _live(store: ClassStore, code: str, token: str, number: int):
    """The class's answers as they arrive (rerun every LIVE_SECONDS)."""
    found = attempt(store.question, code, number)
    answers = attempt(store.owner_answers, code, token, number)
    if found is None or answers is None:
        return
    question, state = found
    revealed = state == "revealed"
    st.markdown(f"**Question {number + 1}:** {question.prompt}")
    # the count, the state and the lecturer's buttons on one row (the chart stays in view
    # on a 1024 × 576 projector); a press reruns only this fragment
    count, buttons = st.columns([1.25, 2], vertical_alignment="center")
    stars = " (stars: EM’s truth)" if revealed and figures.is_tap(question) else ""
    count.markdown(f'<p data-testid="class-answer-count" style="font-size:1.2rem;margin:0">'
                   f"<b>{len(answers)}</b> answer{'' if len(answers) == 1 else 's'} · "
                   f"{state}{stars}</p>", unsafe_allow_html=True)
    with buttons:
        _buttons(store, code, token, number, state)
    X = cq.question_data(question)
    values = [a.values for a in answers]
    names = [html.escape(a.nickname or "a student") for a in answers]
    fig = figures.question_figure(question, X, answers=values, names=names, reveal=revealed,
                                  height=340)
    if presenter.active():
        # on a projector the x axis stays above the fold (1024 × 576), and the legend, in
        # the projector's larger type, goes beside the plot rather than over its top
        fig.update_layout(height=presenter.MAX_CHART_HEIGHT, margin_t=34, legend=dict(
            orientation="v", x=1.02, xanchor="left", y=1, yanchor="top"))
    fig = presenter.styled(fig)
    live_chart(fig, key="class_live_chart", revision=f"{number}-{len(values)}-{state}",
               config={"displayModeBar": False})
    if question.kind is AnswerKind.VALUE:
        live_chart(figures.value_figure(question, values, reveal=revealed),
                   key="class_live_values", revision=f"{number}-{len(values)}-{state}",
                   config={"displayModeBar": False})
    elif question.kind is AnswerKind.CHOICE:
        live_chart(figures.choice_figure(question, values, reveal=revealed),
                   key="class_live_choices", revision=f"{number}-{len(values)}-{state}",
                   config={"displayModeBar": False})
    if revealed:
        _reveal_summary(question, values)


def _reveal_summary(question, values):
    scores = [question.score(v) for v in values]
    errors = [question.error(v) for v in values]
    c = st.columns(3)
    c[0].metric("The truth (EM)", ", ".join(f"{v:.2f}" for v in question.truth)
                if question.kind is not AnswerKind.CHOICE
                else question.choices[int(question.truth[0])])
    c[1].metric("Median score", f"{sorted(scores)[len(scores) // 2]} / 100" if scores else "–")
    c[2].metric("Full marks", f"{sum(s == 100 for s in scores)} of {len(scores)}")
    if errors:
        live_chart(figures.errors_figure(errors, question), key="class_live_errors",
                   revision=f"errors-{len(errors)}", config={"displayModeBar": False})
    if question.misconception:
        st.info(question.misconception, icon=":material/lightbulb:")
