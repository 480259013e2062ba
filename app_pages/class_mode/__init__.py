"""The Class page: the lecturer asks, the whole room predicts on their phones, everyone sees
the class's answers, then EM's truth is revealed over them.

A page of its own rather than a mode of the Lesson: a class needs two views of one shared
state (the lecturer's on the projector, a student's on a phone) reached by different links,
which the Lesson's one-learner path through its stops does not have; and the Lesson's two
predict stops are among its questions (``lab_maths.class_questions``), so nothing is lost.

Links: ``/class`` (start or join), ``/class?join=CODE`` (a student), ``/class?class=CODE#owner=…``
(the lecturer: the token only in the fragment, which no server sees).
"""

from __future__ import annotations

import streamlit as st

from classroom import ClassError, check_code

from . import keys, lecturer, student
from .store_access import attempt, store
from .url_hash import owner_from_hash, url_hash


def render():
    found = store()
    if found is None:
        return
    ss = st.session_state
    params = st.query_params
    owner = ss.get(keys.OWNER)
    fragment = url_hash(keys.HASH, write=f"#owner={owner[1]}" if owner else None)
    if owner is None and "class" in params:
        owner = _owner_from_link(found, params["class"], fragment)
        if owner is None and fragment is None:
            st.caption("Reading the lecturer link…")
            return
    if owner is not None:
        if params.get("class") != owner[0]:
            params["class"] = owner[0]
        lecturer.view(found, *owner)
        return
    joining = params.get("join") or ss.get(keys.JOINED)
    if joining:
        student.view(found, joining)
        return
    st.title("Class")
    ended = ss.pop(keys.ENDED, None)
    if ended:
        st.success(f"Class {ended} has ended: its questions and answers are deleted, and "
                   "students' screens say so.", icon=":material/door_front:")
    _landing(found)


def _owner_from_link(found, code, fragment):
    """(code, token) when the link's #owner= token is this class's; None otherwise (said)."""
    if fragment is None:
        return None  # the browser has not told us the fragment yet
    token = owner_from_hash(fragment)
    try:
        ok = token is not None and found.is_owner(code, token)
    except ClassError as exc:
        st.error(str(exc))
        return None
    if not ok:
        st.error(f"This lecturer link holds no valid owner token for class "
                 f"{str(code)[:12]}: nothing can be changed from here. Students join "
                 "with the code or the join link.", icon=":material/key_off:")
        return None
    st.session_state[keys.OWNER] = (check_code(code), token)
    return st.session_state[keys.OWNER]


def _start(found):
    made = attempt(found.create_class)
    if made is not None:
        st.session_state[keys.OWNER] = made
        st.query_params["class"] = made[0]


def _join():
    ss = st.session_state
    try:
        code = check_code(ss.get(keys.CODE_INPUT))
    except ClassError as exc:
        ss["class_join_error"] = str(exc)
        return
    ss.pop("class_join_error", None)
    ss[keys.JOINED] = code
    st.query_params["join"] = code


def _landing(found):
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Join a class")
        st.text_input("Class code (6 characters, from the projector)", key=keys.CODE_INPUT,
                      max_chars=12, placeholder="e.g. K4M7QD")
        st.button("Join", type="primary", on_click=_join, icon=":material/login:")
        if st.session_state.get("class_join_error"):
            st.error(st.session_state["class_join_error"])
    with right:
        st.subheader("Run a class")
        st.markdown("Start a class, show its code or QR code on the projector, ask a "
                    "question: every student predicts on a phone, you see the answers "
                    "arrive, then reveal what EM really does.")
        st.button("Start a class", on_click=_start, args=(found,),
                  icon=":material/co_present:")
