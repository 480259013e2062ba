"""Class mode's shared store: classes, their questions and the students' answers.

No Streamlit here: the Class page (``app_pages/classroom``) and the benchmark use it alike.
Two backends with one interface (:class:`classroom.store.ClassStore`): SQLite in WAL mode
(the default; one machine, any number of replicas sharing the file) and Redis (several
machines). Who may change a class (the owner token) is checked here, on the server, in every
write that needs it.

    store = open_store()                       # $EM_CLASS_STORE or the default SQLite file
    store = open_store("redis://host:6379/0")  # or "sqlite:///path/classes.sqlite3"
"""

from .store import (
    ANSWER_LIMIT,
    ANSWER_WINDOW,
    CLASS_TTL,
    STATES,
    AnswerRefused,
    ClassEnded,
    ClassError,
    ClassInfo,
    ClassNotFound,
    ClassStore,
    NotOwner,
    OwnerAnswer,
    StoreUnavailable,
    check_code,
    check_nickname,
    new_student_id,
)
from .urls import DEFAULT_SQLITE, STORE_ENV, open_store

__all__ = [
    "ANSWER_LIMIT", "ANSWER_WINDOW", "CLASS_TTL", "DEFAULT_SQLITE", "STATES", "STORE_ENV",
    "AnswerRefused", "ClassEnded", "ClassError", "ClassInfo", "ClassNotFound", "ClassStore",
    "NotOwner", "OwnerAnswer", "StoreUnavailable", "check_code", "check_nickname",
    "new_student_id", "open_store",
]
