"""The shared question kind: checking, scoring and the round trip through plain data."""

import json
import math

import pytest

from lab_maths.questions import FULL_SCORE, AnswerKind, Question


def means_question(**kw):
    base = dict(id="t.means", prompt="Where does each μ_z move?", kind=AnswerKind.POSITIONS_1D,
                labels=("μ₁", "μ₂"), truth=(-1.0, 2.0), low=-6, high=6, scale=2.0)
    return Question(**(base | kw))


def test_a_numeric_answer_is_scored_linearly_by_its_worst_number():
    q = means_question()
    assert q.score((-1.0, 2.0)) == FULL_SCORE
    assert q.score((-1.0, 3.0)) == 50  # 1 away of a scale of 2
    assert q.score((0.5, 2.0)) == 25
    assert q.score((-6.0, 6.0)) == 0  # beyond the scale: no negative points
    assert q.error(["-1.5", 2]) == pytest.approx(0.5)


@pytest.mark.parametrize("answer, words", [
    ((1.0,), "takes 2 number"),
    (("a", 1), "must be a number"),
    ((math.nan, 1), "finite"),
    ((-7, 1), "between -6 and 6"),
])
def test_bad_answers_are_refused_in_plain_words(answer, words):
    with pytest.raises(ValueError, match=words):
        means_question().check(answer)


def test_a_choice_is_right_or_wrong():
    q = Question(id="t.start", prompt="Which start ends highest?", kind=AnswerKind.CHOICE,
                 labels=("start",), truth=(2.0,), choices=("A", "B", "C"))
    assert q.score(2) == FULL_SCORE and q.score(0) == 0
    with pytest.raises(ValueError, match="one of the 3"):
        q.check(3)
    with pytest.raises(ValueError, match="one of the 3"):
        q.check(1.5)


def test_a_question_survives_json_with_infinite_ranges():
    q = means_question(low=-math.inf, high=math.inf, context={"seed": 3})
    back = Question.from_dict(json.loads(json.dumps(q.to_dict())))
    assert back == q


def test_a_truth_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="truth has 1"):
        means_question(truth=(0.0,))
