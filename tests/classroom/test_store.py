"""The class store's rules, each run on SQLite and on Redis (the ``store`` fixture)."""

from __future__ import annotations

import re
import threading

import pytest

from classroom import (
    ANSWER_LIMIT,
    CLASS_TTL,
    AnswerRefused,
    ClassEnded,
    ClassNotFound,
    NotOwner,
    StoreUnavailable,
    check_code,
    check_nickname,
    new_student_id,
    open_store,
)
from classroom.store import CODE_ALPHABET
from lab_maths.questions import AnswerKind, Question

MU = Question(id="t.mu", prompt="Where does each μ_z move?", kind=AnswerKind.POSITIONS_1D,
              labels=("μ₁", "μ₂"), truth=(-1.9, 1.7), low=-6, high=6, scale=2.0)
PICK = Question(id="t.k", prompt="Which K?", kind=AnswerKind.CHOICE, labels=("K",),
                truth=(2.0,), choices=("1", "2", "3"))


def started(store, question=MU):
    code, token = store.create_class()
    number = store.ask(code, token, question)
    return code, token, number


def test_a_class_has_a_six_character_code_without_look_alikes(store):
    codes = {store.create_class()[0] for _ in range(40)}
    assert len(codes) == 40
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{6}", code)
        assert not set(code) & set("0O1IL2Z5S8B")
        assert store.get_class(code).code == code
    assert set(CODE_ALPHABET).isdisjoint("0O1IL2Z5S8B")


def test_a_typed_code_is_normalised_and_a_malformed_one_explained():
    assert check_code(" acd-eft ") == "ACDEFT"
    with pytest.raises(ClassNotFound, match="is not a class code"):
        check_code("ABC")
    with pytest.raises(ClassNotFound, match="is not a class code"):
        check_code("ACDEF0")  # a zero is never in a code


def test_a_wrong_code_says_so(store):
    store.create_class()
    with pytest.raises(ClassNotFound, match="There is no class with the code ACDEFG"):
        store.get_class("ACDEFG")


def test_the_owner_token_is_never_stored(store, store_url, tmp_path):
    code, token = store.create_class()
    if store_url.startswith("sqlite"):
        raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    else:
        import redis

        r = redis.Redis.from_url(store_url)
        # the keys and every value they hold (hashes, strings, sets, lists)
        raw = b"".join(k + str(r.hgetall(k) if r.type(k) == b"hash" else r.dump(k)).encode()
                       for k in r.keys("emc:*"))
    assert code.encode() in raw  # what was read holds the class
    assert token.encode() not in raw
    assert len(token) >= 32


def test_a_class_expires_after_four_hours_and_its_answers_are_deleted(store, clock):
    code, token, number = started(store)
    store.answer(code, new_student_id(), number, [-2, 1.5])
    assert store.get_class(code).expires == pytest.approx(clock.now + CLASS_TTL)
    clock.now += CLASS_TTL - 1
    assert store.count(code, number) == 1
    clock.now += 2
    with pytest.raises(ClassEnded, match=f"The class {code} has ended"):
        store.get_class(code)
    with pytest.raises(ClassEnded):
        store.answer(code, new_student_id(), number, [0, 0])
    assert store._answers(code, number) == {}
    assert store._class_row(code) is None
    assert store._question_row(code, number) is None


def test_purge_deletes_every_ended_class(store, store_url, clock):
    old = [store.create_class()[0] for _ in range(3)]
    clock.now += CLASS_TTL + 1
    fresh, _ = store.create_class()  # creating a class sweeps the ended ones (SQLite)
    for code in old:
        if store_url.startswith("sqlite"):
            assert store._class_row(code) is None
        with pytest.raises(ClassEnded):
            store.get_class(code)
    assert store.get_class(fresh).code == fresh


def test_answers_are_checked_one_per_student_the_last_counts(store):
    code, token, number = started(store)
    ana, ben = new_student_id(), new_student_id()
    assert store.answer(code, ana, number, ["-2", 1.5], nickname="Ana") == (-2.0, 1.5)
    store.answer(code, ana, number, [-1.0, 2.0], nickname="Ana")
    store.answer(code, ben, number, [0.0, 0.5])
    assert store.count(code, number) == 2
    assert store.my_answer(code, ana, number) == (-1.0, 2.0)
    seen = store.owner_answers(code, token, number)
    assert sorted(a.values for a in seen) == [(-1.0, 2.0), (0.0, 0.5)]
    assert {a.nickname for a in seen} == {"Ana", ""}


@pytest.mark.parametrize("raw, message", [
    (["left", 1.0], "must be a number"),
    ([7.0, 1.0], "between -6 and 6"),
    ([float("nan"), 1.0], "finite"),
    ([1.0], "takes 2 number"),
])
def test_a_bad_answer_is_refused_with_its_reason(store, raw, message):
    code, _, number = started(store)
    with pytest.raises(AnswerRefused, match=message):
        store.answer(code, new_student_id(), number, raw)
    assert store.count(code, number) == 0


def test_a_choice_must_be_one_of_the_options(store):
    code, _, number = started(store, PICK)
    with pytest.raises(AnswerRefused, match="Pick one of the 3 options"):
        store.answer(code, new_student_id(), number, 3)
    assert store.answer(code, new_student_id(), number, 1) == (1.0,)


def test_no_answer_after_close_or_reveal_until_reset(store):
    code, token = store.create_class()
    assert store.status(code) == (None, None)
    number = store.ask(code, token, MU)
    assert store.status(code) == (number, "open")
    student = new_student_id()
    store.answer(code, student, number, [0, 0])
    store.set_state(code, token, number, "closed")
    with pytest.raises(AnswerRefused, match="closed this question"):
        store.answer(code, student, number, [1, 1])
    store.set_state(code, token, number, "revealed")
    assert store.status(code) == (number, "revealed")
    with pytest.raises(AnswerRefused, match="revealed"):
        store.answer(code, student, number, [1, 1])
    assert store.my_answer(code, student, number) == (0.0, 0.0)
    store.reset(code, token, number)
    assert store.count(code, number) == 0
    assert store.question(code, number)[1] == "open"
    store.answer(code, student, number, [1, 1])
    assert store.count(code, number) == 1


def test_a_flooding_student_is_limited_and_the_others_are_not(store, clock):
    code, _, number = started(store)
    flood, calm = new_student_id(), new_student_id()
    clock.now = (clock.now // 10) * 10  # the start of a rate window
    for i in range(ANSWER_LIMIT):
        store.answer(code, flood, number, [i * 0.1, 0])
    with pytest.raises(AnswerRefused, match=f"at most {ANSWER_LIMIT} every 10 seconds"):
        store.answer(code, flood, number, [5, 0])
    assert store.my_answer(code, flood, number) == (pytest.approx((ANSWER_LIMIT - 1) * 0.1),
                                                     0.0)
    store.answer(code, calm, number, [1, 1])  # same window, another student: taken
    clock.now += 10
    store.answer(code, flood, number, [5, 0])  # the next window
    assert store.my_answer(code, flood, number) == (5.0, 0.0)


def test_the_class_errors_are_shown_only_after_the_reveal_and_without_names(store):
    code, token, number = started(store)
    for values in ([-1.9, 1.7], [-0.9, 1.7], [-1.9, -0.3]):
        store.answer(code, new_student_id(), number, values, nickname="x")
    with pytest.raises(NotOwner, match="after the reveal"):
        store.class_errors(code, number)
    store.set_state(code, token, number, "revealed")
    assert store.class_errors(code, number) == pytest.approx([0.0, 1.0, 2.0])


@pytest.mark.parametrize("forged", ["", None, "guess", "A" * 32, 12345])
def test_without_the_owner_token_nothing_changes(store, forged):
    code, token, number = started(store)
    student = new_student_id()
    store.answer(code, student, number, [0, 0])
    for action in (lambda: store.set_state(code, forged, number, "revealed"),
                   lambda: store.set_state(code, forged, number, "closed"),
                   lambda: store.reset(code, forged, number),
                   lambda: store.ask(code, forged, PICK),
                   lambda: store.owner_answers(code, forged, number),
                   lambda: store.end_class(code, forged)):
        with pytest.raises(NotOwner, match="Only the lecturer"):
            action()
    assert store.question(code, number)[1] == "open"
    assert store.count(code, number) == 1
    assert store.get_class(code).n_questions == 1
    assert store.is_owner(code, token) and not store.is_owner(code, forged)


def test_another_class_sees_nothing_of_this_one(store):
    code_a, token_a, number_a = started(store)
    code_b, token_b, number_b = started(store, PICK)
    store.answer(code_a, new_student_id(), number_a, [1, 1], nickname="Ana")
    # B's lecturer token opens nothing of A, and B's answers are B's only
    with pytest.raises(NotOwner):
        store.owner_answers(code_a, token_b, number_a)
    with pytest.raises(NotOwner):
        store.set_state(code_a, token_b, number_a, "revealed")
    assert store.owner_answers(code_b, token_b, number_b) == []
    assert store.count(code_b, number_b) == 0
    assert store.question(code_b, number_b)[0].id == "t.k"
    # A's question number does not exist in B (B has one question, number 0: a different one)
    with pytest.raises(ClassNotFound, match="has no question 5"):
        store.question(code_b, 5)


def test_the_nickname_is_checked():
    assert check_nickname("  Zoë   O'Neil ") == "Zoë O'Neil"
    assert check_nickname(None) == ""
    assert check_nickname("Ana\n\tBen") == "Ana Ben"  # white space becomes one space
    for bad in ("<script>alert(1)</script>", "a\u202eb", "x" * 25, "Ana\x00"):
        with pytest.raises(AnswerRefused):
            check_nickname(bad)


def test_a_bad_nickname_refuses_the_answer(store):
    code, _, number = started(store)
    with pytest.raises(AnswerRefused, match="letters, digits"):
        store.answer(code, new_student_id(), number, [0, 0], nickname="<b>x</b>")
    assert store.count(code, number) == 0


def test_two_replicas_share_the_class_and_lose_no_answer(store_url, clock):
    """Two store objects on the same file or server (two replicas), 8 threads each
    answering at once: every answer is counted, none lost."""
    first, second = open_store(store_url, clock=clock), open_store(store_url, clock=clock)
    code, token, number = started(first)
    students = [new_student_id() for _ in range(80)]
    errors = []

    def answer(i):
        try:
            (first if i % 2 else second).answer(code, students[i], number, [i / 20, -i / 20])
        except Exception as exc:  # collected: a thread's exception would vanish
            errors.append(exc)

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(80)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert second.count(code, number) == 80
    assert len(first.owner_answers(code, token, number)) == 80


def test_a_store_that_is_down_says_so(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="cannot be opened"):
        open_store(f"sqlite:///{blocked / 'classes.sqlite3'}")
    down = open_store("redis://127.0.0.1:1/0")  # nothing listens on port 1
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        down.get_class("ACDEFG")
    with pytest.raises(StoreUnavailable, match="Unknown class store"):
        open_store("mysql://x")
