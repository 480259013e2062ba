"""The student's view: join, answer the current question, see the truth and one's score.

The answer is taken the way the question asks (taps on the chart for where μ_z moves, a
slider for γ, options for a choice); "type the numbers instead" is there for anyone who
cannot tap. Every answer goes through the store, which checks it (``Question.check``, the
question still open, the rate limit) and says why when it refuses.

A small fragment polls the class every 2 s and reruns the page when the lecturer asks a new
question, closes or reveals: the chart itself is built only when something changed.
"""

from __future__ import annotations

import html

import streamlit as st

from classroom import AnswerRefused, ClassError, ClassStore, check_nickname, new_student_id
from lab_maths import class_questions as cq
from lab_maths.questions import AnswerKind, Question
from ui.formulas import subscript
from ui.live_chart import live_chart

from . import figures, keys
from .store_access import attempt
from .tap_chart import tap_chart

POLL_SECONDS = 2.0


def student_id() -> str:
    ss = st.session_state
    if keys.STUDENT_ID not in ss:
        ss[keys.STUDENT_ID] = new_student_id()
    return ss[keys.STUDENT_ID]


def leave():
    st.session_state.pop(keys.JOINED, None)
    st.query_params.pop("join", None)


def view(store: ClassStore, code: str):
    info = attempt(store.get_class, code)
    if info is None:  # wrong or ended code: said by attempt(); back to the join form
        leave()
        st.button("Join another class", on_click=lambda: None)
        return
    ss = st.session_state
    ss[keys.JOINED] = info.code
    top = st.columns([3, 1], vertical_alignment="bottom")
    top[0].markdown(f"#### Class **{info.code}**")
    top[1].button("Leave", on_click=leave, icon=":material/logout:",
                  use_container_width=True)
    with st.expander("Nickname (optional)", expanded=False):
        st.text_input("Nickname shown to the lecturer (optional, up to 24 characters)",
                      key=keys.NICKNAME, max_chars=24)
    if info.current is None:
        st.info("You are in. Waiting for the lecturer's first question…",
                icon=":material/hourglass_top:")
        _watch(store, info.code, (None, None))
        return
    number = info.current
    found = attempt(store.question, info.code, number)
    if found is None:
        return
    question, state = found
    _question(store, info.code, number, question, state)
    _watch(store, info.code, (number, state))


@st.fragment(run_every=POLL_SECONDS)
def _watch(store: ClassStore, code: str, shown):
    """Rerun the page when the class moves on (a new question, closed, revealed)."""
    try:
        now = store.status(code)
    except ClassError:
        now = ("gone", None)
    if now != tuple(shown):
        st.rerun(scope="app")


def _question(store, code, number, question: Question, state: str):
    st.markdown(f"**Question {number + 1}.** {question.prompt}")
    X = cq.question_data(question)
    if state == "revealed":
        _revealed(store, code, number, question, X, store.my_answer(code, student_id(),
                                                                     number))
        return
    if figures.is_tap(question):
        _tap_chart(question, X, number, editable=state == "open")
    else:
        live_chart(figures.question_figure(question, X, height=340, legend=False),
                   key=keys.CHART.format(number), revision=f"q{number}",
                   config={"displayModeBar": False})
    if state == "open":
        _answer_area(store, code, number, question)
    else:
        st.warning("The lecturer has closed this question: answers are no longer taken. "
                   "Waiting for the reveal…", icon=":material/lock:")
        _status(number, store.my_answer(code, student_id(), number), question)


@st.fragment
def _answer_area(store, code, number, question: Question):
    """The answer controls and the confirmation: sending reruns only this part (not the
    chart, not the page around it): a room of 100 sends within seconds."""
    _answer_controls(store, code, number, question)
    _status(number, store.my_answer(code, student_id(), number), question)


def _tap_chart(question, X, number, editable: bool):
    ss = st.session_state
    taps_key = keys.TAPS.format(number)
    if editable:
        _place_tap(question, number)
    taps = ss.get(taps_key, [])
    step = 2 if question.kind is AnswerKind.POINTS_2D else 1
    n_means = len(question.labels) // step
    placed = len(taps) // step
    if editable:
        turn = (f"Tap where **μ{subscript(placed + 1)}** goes"
                if placed < n_means else "Both placed: send, or tap again to start over")
        st.caption(turn + ". Diamonds: your taps; × : the old means.")
    fig = figures.question_figure(question, X, taps=taps, height=360, legend=False)
    if editable:
        tap_chart(fig, key=keys.CHART.format(number), revision=f"q{number}-{taps}")
    else:
        live_chart(fig, key=f"class_closed_{number}", revision=f"q{number}-{taps}",
                   config={"displayModeBar": False})


def _place_tap(question, number):
    """The chart's newest tap becomes the next mean's position (rounded to 0.01, kept in
    the question's range). Read before the chart is drawn, so the same run draws it."""
    ss = st.session_state
    chart, seen = keys.CHART.format(number), keys.SEEN.format(number)
    event = ss.get(chart)
    if not isinstance(event, dict) or event.get("tap") == ss.get(seen):
        return
    ss[seen] = event.get("tap")
    try:
        point = [float(event["x"])] + ([float(event["y"])] if question.kind
                                       is AnswerKind.POINTS_2D else [])
    except (KeyError, TypeError, ValueError):
        return  # not a tap this component sends
    point = [round(min(max(v, question.low), question.high), 2) for v in point]
    taps = list(ss.get(keys.TAPS.format(number), []))
    if len(taps) >= question.size:
        taps = []
    ss[keys.TAPS.format(number)] = taps + point


def _answer_controls(store, code, number, question: Question):
    ss = st.session_state
    if figures.is_tap(question):
        taps = ss.get(keys.TAPS.format(number), [])
        ready = len(taps) == question.size
        c1, c2 = st.columns(2)
        c1.button("Send my answer", type="primary", disabled=not ready,
                  use_container_width=True, key=f"class_send_{number}",
                  on_click=_send, args=(store, code, number, lambda: taps))
        c2.button("Start over", use_container_width=True, key=f"class_redo_{number}",
                  on_click=lambda: ss.pop(keys.TAPS.format(number), None),
                  disabled=not taps)
    elif question.kind is AnswerKind.VALUE:
        st.slider(f"Your answer: {question.labels[0]}", question.low, question.high,
                  (question.low + question.high) / 2, 0.01, key=keys.SLIDER.format(number))
        st.button("Send my answer", type="primary", use_container_width=True,
                  key=f"class_send_{number}", on_click=_send,
                  args=(store, code, number, lambda: ss[keys.SLIDER.format(number)]))
    else:
        st.radio("Your answer", range(len(question.choices)), index=None,
                 format_func=lambda i: question.choices[i], key=keys.CHOICE.format(number))
        st.button("Send my answer", type="primary", use_container_width=True,
                  key=f"class_send_{number}", on_click=_send,
                  args=(store, code, number, lambda: ss[keys.CHOICE.format(number)]))
    if question.kind is not AnswerKind.CHOICE:
        with st.expander("Or type the numbers instead"):
            st.text_input(f"{', '.join(question.labels)}, separated by commas",
                          key=keys.TYPED.format(number), placeholder="e.g. -1.5, 2")
            st.button("Send typed answer", key=f"class_send_typed_{number}", on_click=_send,
                      args=(store, code, number, lambda: _typed(number)))


def _typed(number) -> list[str]:
    text = st.session_state.get(keys.TYPED.format(number)) or ""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _send(store, code, number, read):
    """Button callback: send the answer; the message is shown by the run that follows."""
    ss = st.session_state
    try:
        raw = read()
        if raw is None:
            raise AnswerRefused("Pick an answer first.")
        nickname = check_nickname(ss.get(keys.NICKNAME))
        values = store.answer(code, student_id(), number, raw, nickname=nickname)
        ss[keys.SENT.format(number)] = ("ok", values)
    except ClassError as exc:
        ss[keys.SENT.format(number)] = ("error", str(exc))


def _fmt(question: Question, values) -> str:
    if question.kind is AnswerKind.CHOICE:
        return question.choices[int(values[0])]
    return ", ".join(f"{label} = {v:.2f}" for label, v in zip(question.labels, values))


def _status(number, mine, question):
    sent = st.session_state.get(keys.SENT.format(number))
    if sent and sent[0] == "error":
        st.error(f"Not sent: {sent[1]}", icon=":material/block:")
    if mine is not None:
        st.success(f"Your answer is in: {_fmt(question, mine)}. You can change it until the "
                   "lecturer closes the question.", icon=":material/check_circle:")


def _revealed(store, code, number, question: Question, X, mine):
    st.markdown("**The answer is revealed.**")
    taps = list(mine) if (mine is not None and figures.is_tap(question)) else []
    live_chart(figures.question_figure(question, X, taps=taps, reveal=True, height=360,
                                       legend=False),
               key=keys.CHART.format(number), revision=f"q{number}-revealed",
               config={"displayModeBar": False})
    c1, c2 = st.columns(2)
    c1.metric("The truth (EM)", _fmt(question, question.truth))
    if mine is None:
        c2.metric("Your score", "no answer")
    else:
        c2.metric("Your score", f"{question.score(mine)} / 100")
        st.markdown(f"Your answer: {html.escape(_fmt(question, mine))} · off by "
                    f"{question.error(mine):.2f}")
    if question.misconception and (mine is None or question.score(mine) < 100):
        st.info(question.misconception, icon=":material/lightbulb:")
    errors = attempt(store.class_errors, code, number)
    if errors:
        live_chart(figures.errors_figure(errors, question, height=240),
                   key=f"class_errors_{number}", revision=f"e{len(errors)}",
                   config={"displayModeBar": False})
