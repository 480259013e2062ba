"""The Class page through AppTest: the lecturer's buttons, a student's answers refused with
their reason, a wrong code, a store that is down (the rest of the app goes on)."""

from __future__ import annotations

import pytest

from app_pages import CLASS, STEP_BY_STEP
from app_pages.class_mode import keys
from classroom import ClassEnded, open_store
from lab_maths import class_questions as cq

from ..apptest import button, open_app, switch_to


@pytest.fixture()
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'classes.sqlite3'}"
    monkeypatch.setenv("EM_CLASS_STORE", url)
    return url


def texts(at) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.error,
                                             *at.warning, *at.success, *at.info])


def student_on(code, key_state=None):
    at = open_app()
    at.query_params["join"] = code
    switch_to(at, CLASS).run()
    assert not at.exception, at.exception
    return at


def test_the_lecturer_starts_asks_closes_reveals_and_resets(store_url):
    at = open_app(CLASS)
    button(at, "Start a class").click().run()
    code, token = at.session_state[keys.OWNER]
    store = open_store(store_url)
    assert store.is_owner(code, token)
    assert at.query_params["class"] in (code, [code])
    assert "owner" not in str(at.query_params)  # the token never goes in the query
    at.session_state[keys.PICK] = "means_2d"
    button(at, "Ask it").click().run()
    assert store.question(code, 0)[0].id == "class.m_step.means_2d"
    store.answer(code, "student-0001", 0, [0.1, 0.2, 0.3, 0.4], nickname="Ana")
    for label, state in (("Close", "closed"), ("Reopen", "open"), ("Reveal", "revealed")):
        button(at, label).click().run()
        assert not at.exception, at.exception
        assert store.question(code, 0)[1] == state
    assert "EM's truth" in texts(at) or any(m.label == "The truth (EM)" for m in at.metric)
    button(at, "Reset").click().run()
    assert store.question(code, 0)[1] == "open" and store.count(code, 0) == 0


def _class_with(store_url, key="lesson_means"):
    store = open_store(store_url)
    code, token = store.create_class()
    store.ask(code, token, cq.build(key))
    return store, code, token


@pytest.mark.parametrize("typed, reason", [
    ("left, right", "must be a number"),
    ("9, 1", "between -6 and 6"),
    ("1", "takes 2 number"),
])
def test_a_typed_answer_is_refused_with_its_reason(store_url, typed, reason):
    store, code, _ = _class_with(store_url)
    at = student_on(code)
    at.text_input(key=keys.TYPED.format(0)).input(typed)
    button(at, "Send typed answer").click().run()
    assert "Not sent:" in texts(at) and reason in texts(at)
    assert store.count(code, 0) == 0


def test_a_typed_answer_is_taken_and_the_last_counts(store_url):
    store, code, token = _class_with(store_url)
    at = student_on(code)
    for typed in ("-2, 1.5", "-1.9; 1.7"):
        at.text_input(key=keys.TYPED.format(0)).input(typed)
        button(at, "Send typed answer").click().run()
    assert "Your answer is in: μ₁ = -1.90, μ₂ = 1.70" in texts(at)
    assert store.count(code, 0) == 1
    # after the reveal: the truth and this student's score
    store.set_state(code, token, 0, "revealed")
    at.run()
    shown = {m.label: m.value for m in at.metric}
    q = cq.build("lesson_means")
    assert shown["Your score"] == f"{q.score((-1.9, 1.7))} / 100"


def test_an_answer_after_the_close_is_refused(store_url):
    store, code, token = _class_with(store_url, "gamma_2d")
    at = student_on(code)
    store.set_state(code, token, 0, "closed")  # closed while the student's page is open
    button(at, "Send my answer").click().run()
    assert "Not sent: The lecturer has closed this question" in texts(at)
    assert store.count(code, 0) == 0


def test_a_bad_nickname_is_refused_and_shown_nowhere(store_url):
    store, code, token = _class_with(store_url, "best_start")
    at = student_on(code)
    at.text_input(key=keys.NICKNAME).input("<b>Ana</b>")
    at.radio(key=keys.CHOICE.format(0)).set_value(1)
    button(at, "Send my answer").click().run()
    assert "A nickname may hold letters" in texts(at)
    assert store.count(code, 0) == 0


def test_a_wrong_code_says_so(store_url):
    at = student_on("ACDEFG")
    assert "There is no class with the code ACDEFG" in texts(at)


def test_a_store_that_is_down_gives_a_clear_error_and_the_app_goes_on(monkeypatch):
    monkeypatch.setenv("EM_CLASS_STORE", "redis://127.0.0.1:1/0")
    at = open_app(CLASS)
    assert not at.exception
    assert any("Class mode is unavailable" in e.value for e in at.error)
    switch_to(at, STEP_BY_STEP).run()
    assert not at.exception
    assert any(m.label == "Iteration" for m in at.metric)


def test_the_lecturer_ends_the_class_and_a_student_reads_that_it_ended(store_url):
    at = open_app(CLASS)
    button(at, "Start a class").click().run()
    code, _token = at.session_state[keys.OWNER]
    store = open_store(store_url)
    student = student_on(code)
    assert f"Class **{code}**" in texts(student)
    button(at, "End the class for everyone").click().run()
    assert not at.exception, at.exception
    assert keys.OWNER not in at.session_state and "class" not in at.query_params
    assert any(f"Class {code} has ended" in str(s.value) for s in at.success)
    with pytest.raises(ClassEnded):
        store.get_class(code)
    student.run()  # the student's next look (its poll reruns the page)
    assert any(f"The class {code} has ended" in str(e.value) for e in student.error)
