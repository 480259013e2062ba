"""One kind of question, for a learner alone (the Lesson) and for a whole room (class mode).

A :class:`Question` holds what to ask, how an answer is taken, the truth computed by
gmm_core on the data shown (never typed in), how far an answer is from it, and the one
sentence that explains the typical miss. It is plain data (``to_dict``/``from_dict``), so a
shared store can keep it and every replica scores an answer the same way.

Answers are tuples of floats (a choice is its index), one value per ``labels`` entry::

    q = Question(id="lesson.m_step.means", prompt="Where does each μ_z move?",
                 kind=AnswerKind.POSITIONS_1D, labels=("μ₁", "μ₂"), low=-6, high=6,
                 truth=(-1.9, 1.7), scale=1.0, misconception="...")
    q.check(["-2", 1.5])   # -> (-2.0, 1.5), or ValueError in plain words
    q.score((-2.0, 1.5))   # -> 0..100 points

Question factories (the lesson's stops, class questions) live in their own modules and
build their truth with gmm_core; this module knows no data set.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum

#: Points for a perfect answer; an answer ``scale`` away (or more) from the truth earns 0.
FULL_SCORE = 100


class AnswerKind(StrEnum):
    """How the answer is taken (and drawn when a room's answers are shown)."""

    POSITIONS_1D = "positions_1d"  # one x per label, tapped on a 1-D chart
    POINTS_2D = "points_2d"  # one (x, y) per label, tapped on a 2-D chart: labels x then y
    VALUE = "value"  # one number (a slider or a number input), e.g. γ of a point, log L
    CHOICE = "choice"  # one of ``choices``; the answer is its index


@dataclass(frozen=True)
class Question:
    """A question with its truth.

    Parameters
    ----------
    id : str
        Stable name (``"lesson.e_step.gamma"``); the same question has the same id everywhere.
    prompt : str
        What is asked, one sentence, in the article's notation.
    kind : AnswerKind
    labels : tuple of str
        One per number in an answer (``("μ₁", "μ₂")``; ``("K",)``); for ``CHOICE`` one label.
    truth : tuple of float
        The right answer, computed by gmm_core (for ``CHOICE``, the index of the right one).
    low, high : float
        Range of each number of an answer (ignored for ``CHOICE``).
    scale : float
        Distance from the truth at which an answer earns 0 points (linear in between);
        for ``CHOICE`` right earns full points, wrong 0.
    choices : tuple of str
        The options of a ``CHOICE`` question.
    misconception : str
        One sentence shown with a miss: the typical wrong idea and why it is wrong.
    context : dict
        Plain JSON-able data the page needs to redraw the question (data seed, parameters).
    """

    id: str
    prompt: str
    kind: AnswerKind
    labels: tuple[str, ...]
    truth: tuple[float, ...]
    low: float = -math.inf
    high: float = math.inf
    scale: float = 1.0
    choices: tuple[str, ...] = ()
    misconception: str = ""
    context: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind is AnswerKind.CHOICE and not self.choices:
            raise ValueError(f"Question {self.id!r}: a choice question needs its choices.")
        if len(self.truth) != self.size:
            raise ValueError(f"Question {self.id!r}: the truth has {len(self.truth)} numbers "
                             f"but the question takes {self.size}.")
        if not self.scale > 0:
            raise ValueError(f"Question {self.id!r}: scale must be positive.")

    @property
    def size(self) -> int:
        """How many numbers an answer has."""
        return 1 if self.kind is AnswerKind.CHOICE else len(self.labels)

    def check(self, answer) -> tuple[float, ...]:
        """``answer`` as a tuple of floats, or ``ValueError`` saying what is wrong with it."""
        values = answer if isinstance(answer, list | tuple) else (answer,)
        if len(values) != self.size:
            raise ValueError(f"This question takes {self.size} number(s), got {len(values)}.")
        try:
            out = tuple(float(v) for v in values)
        except (TypeError, ValueError):
            raise ValueError("The answer must be a number.") from None
        if not all(math.isfinite(v) for v in out):
            raise ValueError("The answer must be a finite number.")
        if self.kind is AnswerKind.CHOICE:
            if not out[0].is_integer() or not 0 <= out[0] < len(self.choices):
                raise ValueError(f"Pick one of the {len(self.choices)} options.")
        elif any(not self.low <= v <= self.high for v in out):
            raise ValueError(f"Each number must lie between {self.low:g} and {self.high:g}.")
        return out

    def error(self, answer) -> float:
        """Distance of a (checked) answer from the truth: the largest over its numbers
        (0 or 1 for a choice)."""
        values = self.check(answer)
        if self.kind is AnswerKind.CHOICE:
            return float(values[0] != self.truth[0])
        return max(abs(v - t) for v, t in zip(values, self.truth))

    def score(self, answer) -> int:
        """Points out of :data:`FULL_SCORE`: linear from full at the truth to 0 at ``scale``."""
        if self.kind is AnswerKind.CHOICE:
            return FULL_SCORE * (1 - int(self.error(answer)))
        return round(FULL_SCORE * max(0.0, 1.0 - self.error(answer) / self.scale))

    def to_dict(self) -> dict:
        """Plain JSON-able data (infinite ranges as ``None``)."""
        d = asdict(self)
        d["kind"] = self.kind.value
        for key in ("low", "high"):
            d[key] = None if math.isinf(d[key]) else d[key]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Question:
        d = dict(d)
        d["kind"] = AnswerKind(d["kind"])
        d["low"] = -math.inf if d.get("low") is None else d["low"]
        d["high"] = math.inf if d.get("high") is None else d["high"]
        for key in ("labels", "truth", "choices"):
            d[key] = tuple(d.get(key, ()))
        return cls(**d)
