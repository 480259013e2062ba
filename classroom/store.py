"""The class store's interface and every rule of it; the backends only keep rows.

Rules (the same for SQLite and Redis, so the same tests run on both):

* a class has a 6-character join code from :data:`CODE_ALPHABET` (no 0/O, 1/I/L, 2/Z, 5/S,
  8/B), a secret owner token of which only the SHA-256 is stored (compared with
  ``hmac.compare_digest``), and an expiry (:data:`CLASS_TTL`, 4 hours); an expired class is
  deleted with its questions and answers, and only its code and end time are kept a day
  (so a late student reads "this class has ended", not "no such code");
* every change a lecturer makes (ask, open, close, reveal, reset) and every read of the
  individual answers takes the owner token and is refused with :class:`NotOwner` without it;
* an answer is checked by the question itself (``Question.check``: numbers, range, choice),
  is taken only while the question is open, one per student per question (the last counts),
  at most :data:`ANSWER_LIMIT` per student per :data:`ANSWER_WINDOW` seconds (a counter in
  the store, per student: a student flooding answers slows nobody else);
* before the reveal a student sees the question and their own answer; after it the truth,
  their score and the class's errors (numbers only, nobody's name or id).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass

from lab_maths.questions import Question

#: Join-code letters: no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B), upper case only.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
#: A class ends (and is deleted) this many seconds after it starts.
CLASS_TTL = 4 * 3600
#: An ended class's code is remembered (nothing else) this long, to say "ended".
ENDED_MEMORY = 24 * 3600
#: At most this many answers per student per window (seconds).
ANSWER_LIMIT, ANSWER_WINDOW = 8, 10
NICKNAME_MAX = 24
#: A question's states: answers are taken only while "open".
STATES = ("open", "closed", "revealed")


class ClassError(Exception):
    """Base of the store's errors; ``str()`` is a sentence for the screen."""


class ClassNotFound(ClassError):
    pass


class ClassEnded(ClassError):
    pass


class NotOwner(ClassError, PermissionError):
    pass


class AnswerRefused(ClassError, ValueError):
    pass


class StoreUnavailable(ClassError):
    pass


@dataclass(frozen=True)
class ClassInfo:
    code: str
    created: float
    expires: float
    current: int | None  # the question students see (its number), None before the first
    n_questions: int


@dataclass(frozen=True)
class OwnerAnswer:
    """One student's answer as the lecturer sees it: no student id, the nickname if given."""

    nickname: str
    values: tuple[float, ...]
    at: float


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_student_id() -> str:
    """A random id for one browser session (never shown, never tied to a person)."""
    return secrets.token_urlsafe(16)


def check_code(text) -> str:
    """A typed join code, normalised (upper case, spaces and dashes dropped), or
    :class:`ClassNotFound` saying what is wrong with it."""
    code = "".join(str(text or "").split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        raise ClassNotFound(f"“{code[:12]}” is not a class code: a code has {CODE_LENGTH} "
                            f"letters and digits, like {new_code()}.")
    return code


def check_nickname(text) -> str:
    """An optional nickname: trimmed, at most :data:`NICKNAME_MAX` characters of letters,
    digits, spaces and ``-_.'``; anything else is refused (``AnswerRefused``). Shown escaped."""
    name = " ".join(str(text or "").split())
    if len(name) > NICKNAME_MAX:
        raise AnswerRefused(f"A nickname has at most {NICKNAME_MAX} characters.")
    bad = [c for c in name if not (c.isalnum() or c in " -_.'")
           or unicodedata.category(c).startswith("C")]
    if bad:
        raise AnswerRefused("A nickname may hold letters, digits, spaces and - _ . ' only.")
    return name


class ClassStore(ABC):
    """One interface over a backend; every rule lives here (see the module's text).

    ``clock`` returns the time in seconds (``time.time``; tests pass their own).
    """

    def __init__(self, *, ttl: float = CLASS_TTL, clock=time.time,
                 answer_limit: int = ANSWER_LIMIT, answer_window: int = ANSWER_WINDOW):
        self.ttl, self.clock = ttl, clock
        self.answer_limit, self.answer_window = answer_limit, answer_window

    # -- a class ----------------------------------------------------------------------

    def create_class(self) -> tuple[str, str]:
        """A new class: its join code and its owner token (shown once, never stored)."""
        self.purge_expired()
        token = secrets.token_urlsafe(24)
        now = self.clock()
        for _ in range(20):
            code = new_code()
            if self._insert_class(code, hash_token(token), now, now + self.ttl):
                return code, token
        raise StoreUnavailable("No free class code was found; try again.")

    def get_class(self, code) -> ClassInfo:
        code = check_code(code)
        row = self._class_row(code)
        if row is None:
            if self._ended(code):
                raise ClassEnded(f"The class {code} has ended: its lecturer ended it, or "
                                 f"its {self.ttl / 3600:g} hours were up.")
            raise ClassNotFound(f"There is no class with the code {code}: check the code "
                                "with your lecturer.")
        if row["expires"] <= self.clock():
            self._delete_class(code, row["expires"])
            return self.get_class(code)
        return ClassInfo(code, row["created"], row["expires"], row["current"],
                         row["n_questions"])

    def is_owner(self, code, token) -> bool:
        info = self.get_class(code)
        stored = self._class_row(info.code)
        given = hash_token(token) if isinstance(token, str) and token else ""
        return bool(stored) and hmac.compare_digest(given, stored["owner_hash"])

    def _owner(self, code, token) -> ClassInfo:
        info = self.get_class(code)
        if not self.is_owner(info.code, token):
            raise NotOwner("Only the lecturer who started this class can do that.")
        return info

    def end_class(self, code, token) -> str:
        """Delete the class now (the owner only); returns its code. Its code is remembered
        a while, so a student's next look reads "has ended", not "no such code"."""
        info = self._owner(code, token)
        self._delete_class(info.code, self.clock())
        return info.code

    def purge_expired(self) -> int:
        """Delete every class past its end; returns how many."""
        now = self.clock()
        codes = self._expired_codes(now)
        for code, expires in codes:
            self._delete_class(code, expires)
        return len(codes)

    # -- questions (the lecturer) -----------------------------------------------------

    def ask(self, code, token, question: Question) -> int:
        """Put ``question`` to the class, open: it becomes the current one. Its number."""
        info = self._owner(code, token)
        body = json.dumps(question.to_dict())
        return self._add_question(info.code, body, info.expires)

    def set_state(self, code, token, number: int, state: str):
        if state not in STATES:
            raise ValueError(f"state must be one of {STATES}, not {state!r}")
        info = self._owner(code, token)
        self._question(info.code, number)
        self._set_state(info.code, number, state)

    def reset(self, code, token, number: int):
        """Drop every answer to the question and open it again."""
        info = self._owner(code, token)
        self._question(info.code, number)
        self._reset(info.code, number)

    def owner_answers(self, code, token, number: int) -> list[OwnerAnswer]:
        """Every student's answer, for the lecturer's chart (oldest first)."""
        info = self._owner(code, token)
        rows = [json.loads(p) for p in self._answers(info.code, number).values()]
        return sorted((OwnerAnswer(r["nickname"], tuple(r["values"]), r["at"]) for r in rows),
                      key=lambda a: a.at)

    # -- questions (everyone) ---------------------------------------------------------

    def question(self, code, number: int) -> tuple[Question, str]:
        """The question and its state ("open", "closed", "revealed")."""
        info = self.get_class(code)
        return self._question(info.code, number)

    def _question(self, code: str, number: int) -> tuple[Question, str]:
        row = self._question_row(code, int(number))
        if row is None:
            raise ClassNotFound(f"The class {code} has no question {number}.")
        body, state = row
        return Question.from_dict(json.loads(body)), state

    def status(self, code) -> tuple[int | None, str | None]:
        """(the current question's number, its state), or (None, None): a cheap poll."""
        info = self.get_class(code)
        if info.current is None:
            return None, None
        row = self._question_row(info.code, info.current)
        return info.current, (row[1] if row else None)

    def count(self, code, number: int) -> int:
        info = self.get_class(code)
        return self._count(info.code, number)

    def answer(self, code, student: str, number: int, raw, nickname="") -> tuple[float, ...]:
        """Take a student's answer (their last one counts). Returns the checked numbers;
        ``AnswerRefused`` with the reason otherwise."""
        info = self.get_class(code)
        if not isinstance(student, str) or not 8 <= len(student) <= 64:
            raise AnswerRefused("This browser session has no student id: reload the page.")
        question, state = self._question(info.code, number)
        if state != "open":
            raise AnswerRefused(_CLOSED[state])
        try:
            values = question.check(raw)
        except ValueError as exc:
            raise AnswerRefused(str(exc)) from None
        payload = json.dumps({"nickname": check_nickname(nickname), "values": values,
                              "at": self.clock()})
        status = self._put_answer(info.code, number, student, payload, info.expires)
        if status == "limited":
            raise AnswerRefused(f"Too many answers: at most {self.answer_limit} every "
                                f"{self.answer_window} seconds. Wait a moment, then send.")
        if status != "ok":  # closed between the two reads
            raise AnswerRefused(_CLOSED.get(status, "The question is no longer open."))
        return values

    def my_answer(self, code, student: str, number: int) -> tuple[float, ...] | None:
        info = self.get_class(code)
        payload = self._answer_of(info.code, number, student)
        return None if payload is None else tuple(json.loads(payload)["values"])

    def class_errors(self, code, number: int) -> list[float]:
        """Every answer's distance from the truth (no names), once the truth is revealed."""
        info = self.get_class(code)
        question, state = self._question(info.code, number)
        if state != "revealed":
            raise NotOwner("The class's answers are shown after the reveal.")
        return sorted(question.error(tuple(json.loads(p)["values"]))
                      for p in self._answers(info.code, number).values())

    # -- what a backend keeps ---------------------------------------------------------

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable when the store cannot be reached."""

    @abstractmethod
    def _insert_class(self, code, owner_hash, created, expires) -> bool: ...

    @abstractmethod
    def _class_row(self, code) -> dict | None:
        """owner_hash, created, expires, current, n_questions."""

    @abstractmethod
    def _ended(self, code) -> bool: ...

    @abstractmethod
    def _delete_class(self, code, expired_at) -> None: ...

    @abstractmethod
    def _expired_codes(self, now) -> list[tuple[str, float]]: ...

    @abstractmethod
    def _add_question(self, code, body, expires) -> int: ...

    @abstractmethod
    def _question_row(self, code, number) -> tuple[str, str] | None: ...

    @abstractmethod
    def _set_state(self, code, number, state) -> None: ...

    @abstractmethod
    def _reset(self, code, number) -> None: ...

    @abstractmethod
    def _put_answer(self, code, number, student, payload, expires) -> str:
        """Atomically: count the student's answer in the rate window, then store it if the
        question is open. "ok", "limited", or the question's state."""

    @abstractmethod
    def _answers(self, code, number) -> dict[str, str]: ...

    @abstractmethod
    def _answer_of(self, code, number, student) -> str | None: ...

    @abstractmethod
    def _count(self, code, number) -> int: ...


_CLOSED = {
    "closed": "The lecturer has closed this question: answers are no longer taken.",
    "revealed": "The answer has been revealed: answers are no longer taken.",
}
