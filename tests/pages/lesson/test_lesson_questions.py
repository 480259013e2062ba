"""The Lesson's questions are plain lab_maths.questions.Question data: every factory's
question survives the store's round trip, its truth is a valid answer scoring full points,
and a miss is explained in one sentence."""

from __future__ import annotations

import json

import pytest

from lab_maths import lesson_questions as lq
from lab_maths.questions import AnswerKind, Question

FACTORIES = [
    lambda: lq.e_step_question(5),
    lq.m_step_question,
    lambda: lq.iterate_question(1e-3, 0),
    lambda: lq.iterate_question(1e-6, 4),
    lq.init_question,
    lambda: lq.k_question(4.0),
    lambda: lq.cov_question("Parallel cigars"),
    lq.collapse_question,
]


@pytest.mark.parametrize("make", FACTORIES)
def test_question_round_trips_and_its_truth_scores_full(make):
    q = make()
    assert isinstance(q, Question)
    again = Question.from_dict(json.loads(json.dumps(q.to_dict())))
    assert again == q
    assert q.check(q.truth) == q.truth
    assert q.score(q.truth) == 100
    assert q.id in lq.ALL
    sentence = q.misconception
    assert sentence.endswith(".") and ". " not in sentence  # one sentence


def test_a_wrong_choice_scores_zero_and_is_a_miss():
    q = lq.init_question()
    wrong = (int(q.truth[0]) + 1) % len(q.choices)
    assert q.kind is AnswerKind.CHOICE and q.score(wrong) == 0
    assert lq.is_miss(q.score(wrong)) and not lq.is_miss(q.score(q.truth))


def test_iterate_question_range_gives_nothing_away_and_holds_the_truth():
    run = lq.iterate_run(1e-3)
    for shown in range(len(run.log_likelihoods) - 1):
        q = lq.iterate_question(1e-3, shown)
        now = run.log_likelihoods[shown]
        assert (q.low, q.high) == (pytest.approx(now - 20, abs=1), pytest.approx(now + 100, abs=1))
        assert q.low <= q.truth[0] <= q.high
