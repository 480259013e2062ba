"""What every predict stop shares: a choice taken by pressing it, the reveal, the score kept
for the scores page, the result with the misconception of a miss; and the buttons that open
the page exploring a stop further.

The question (truth, scoring, the sentence explaining a miss) is a
:class:`lab_maths.questions.Question` from :mod:`lab_maths.lesson_questions`; this module only
draws and records."""

from __future__ import annotations

import streamlit as st

import app_pages
from lab_maths.lesson_questions import is_miss
from lab_maths.questions import Question
from ui.presenter import plotly_chart
from ui.sidebar import use_settings

from . import keys


def record(title: str, question: Question, answer) -> int:
    """Score ``answer`` (already checked) and keep it for the scores page; the points."""
    points = question.score(answer)
    st.session_state.setdefault(keys.SCORES, {})[question.id] = {
        "stop": title, "points": points, "misconception": question.misconception,
        "answer": question.check(answer), "truth": question.truth}
    return points


def reveal(key: str):
    st.session_state[key] = True


def hide(key: str):
    st.session_state[key] = False


def choice(question: Question, key: str, revealed_key: str,
           disabled: bool = False) -> int | None:
    """The learner's pick among ``question.choices`` (pressed, or chosen with the arrow
    keys), None until one is picked; changing it hides the reveal. (Drawn on every run:
    a widget not drawn loses its value.)"""
    picked = st.radio(question.prompt, range(len(question.choices)), index=None,
                      format_func=lambda i: question.choices[i], key=key, horizontal=True,
                      on_change=hide, args=(revealed_key,), disabled=disabled)
    return picked


def reveal_button(label: str, key: str, revealed_key: str, disabled: bool = False):
    st.button(label, key=key, type="primary", on_click=reveal, args=(revealed_key,),
              disabled=disabled, use_container_width=True)


def choice_result(title: str, question: Question, picked: int) -> int:
    """The truth of a choice question against the pick, with the miss explained."""
    points = record(title, question, picked)
    right = question.choices[int(question.truth[0])]
    if points:
        st.success(f"**Right: {right}.** {points} / 100 points.", icon=":material/check:")
    else:
        st.error(f"**It is {right}**, not {question.choices[picked]}. 0 / 100 points.  \n"
                 + question.misconception, icon=":material/close:")
    return points


def miss_note(question: Question, points: int):
    if is_miss(points):
        st.warning(f"**Why the miss:** {question.misconception}", icon=":material/lightbulb:")


def open_button(label: str, url_path: str, settings: dict, key: str,
                page_state: dict | None = None):
    """A button that opens another page with ``settings`` applied (and ``page_state``, that
    page's own session entries: the tab to open). (st.switch_page is not allowed inside a
    callback: the script switches right after the click.)"""
    if st.button(label, key=key, icon=":material/open_in_new:"):
        use_settings(settings)
        st.session_state.update(page_state or {})
        st.switch_page(app_pages.page(url_path))


def chart(fig, *, key: str):
    """A lesson chart without Plotly's toolbar: on a touch screen it is always shown and
    covered the chart's title (nothing here needs zoom or pan)."""
    return plotly_chart(fig, key=key, config={"displayModeBar": False})


def ask_choice(question: Question, pick_key: str, revealed_key: str, label: str,
               button_key: str, hint: str, notice) -> int | None:
    """A choice question: the options, the reveal button right under them; until the
    reveal, ``hint`` and the notice, and None. Once revealed, the pick."""
    picked = choice(question, pick_key, revealed_key)
    reveal_button(label, button_key, revealed_key, disabled=picked is None)
    if st.session_state.get(revealed_key) and picked is not None:
        return picked
    if hint:
        st.caption(hint)
    notice()
    return None


def timed(playing_key: str, interval: float, advance, draw):
    """``draw()`` in a fragment whose timer, while ``session_state[playing_key]``, calls
    ``advance()`` once per tick (``advance`` turns playing off at the end); when playing
    starts or stops the page reruns, which starts or stops the timer."""
    playing = bool(st.session_state.get(playing_key))

    @st.fragment(run_every=interval if playing else None)
    def stage():
        if st.session_state.get(playing_key):
            advance()
        if bool(st.session_state.get(playing_key)) != playing:
            st.rerun()
        draw()

    stage()
