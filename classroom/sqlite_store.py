"""The class store in one SQLite file (WAL mode): one machine, any number of replicas.

WAL lets readers (every lecturer's refresh) go on while one writer commits; writes take the
lock up front (``BEGIN IMMEDIATE``) so a check and its write see the same rows, and wait up
to ``busy_timeout`` for another replica's commit. One connection per thread: Streamlit runs
each session's script in a thread of its own.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from .store import ENDED_MEMORY, ClassStore, StoreUnavailable

SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
    code TEXT PRIMARY KEY, owner_hash TEXT NOT NULL, created REAL NOT NULL,
    expires REAL NOT NULL, current INTEGER, n_questions INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS questions (
    code TEXT NOT NULL, number INTEGER NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
    PRIMARY KEY (code, number));
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL, number INTEGER NOT NULL, student TEXT NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (code, number, student));
CREATE TABLE IF NOT EXISTS rate (
    code TEXT NOT NULL, student TEXT NOT NULL, window INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (code, student, window));
CREATE TABLE IF NOT EXISTS ended (code TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS classes_expires ON classes (expires);
"""


class SQLiteStore(ClassStore):
    def __init__(self, path, **kwargs):
        super().__init__(**kwargs)
        self.path = Path(path)
        self._local = threading.local()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db().executescript(SCHEMA)  # CREATE … IF NOT EXISTS: any replica, any time
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(f"The class store {self.path} cannot be opened: {exc}.") \
                from None

    def __repr__(self):
        return f"SQLiteStore({str(self.path)!r})"

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=15, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; WAL keeps it safe
            db.execute("PRAGMA busy_timeout=15000")
            db.row_factory = sqlite3.Row
            self._local.db = db
        return db

    @contextmanager
    def _write(self):
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"The class store cannot be written: {exc}.") from None

    def _read(self, sql, args=()):
        try:
            return self._db().execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"The class store cannot be read: {exc}.") from None

    def ping(self):
        self._read("SELECT 1")

    def _insert_class(self, code, owner_hash, created, expires) -> bool:
        with self._write() as db:
            if db.execute("SELECT 1 FROM classes WHERE code=? UNION SELECT 1 FROM ended "
                          "WHERE code=?", (code, code)).fetchone():
                return False
            db.execute("INSERT INTO classes (code, owner_hash, created, expires) "
                       "VALUES (?, ?, ?, ?)", (code, owner_hash, created, expires))
        return True

    def _class_row(self, code):
        rows = self._read("SELECT * FROM classes WHERE code=?", (code,))
        return dict(rows[0]) if rows else None

    def _ended(self, code) -> bool:
        return bool(self._read("SELECT 1 FROM ended WHERE code=?", (code,)))

    def _delete_class(self, code, expired_at):
        with self._write() as db:
            for table in ("classes", "questions", "answers", "rate"):
                db.execute(f"DELETE FROM {table} WHERE code=?", (code,))
            db.execute("INSERT OR REPLACE INTO ended (code, at) VALUES (?, ?)",
                       (code, expired_at))
            db.execute("DELETE FROM ended WHERE at < ?", (expired_at - ENDED_MEMORY,))

    def _expired_codes(self, now):
        return [(r["code"], r["expires"])
                for r in self._read("SELECT code, expires FROM classes WHERE expires <= ?",
                                    (now,))]

    def _add_question(self, code, body, expires) -> int:
        with self._write() as db:
            number = db.execute("SELECT n_questions FROM classes WHERE code=?",
                                (code,)).fetchone()[0]
            db.execute("INSERT INTO questions VALUES (?, ?, ?, 'open')", (code, number, body))
            db.execute("UPDATE classes SET n_questions=?, current=? WHERE code=?",
                       (number + 1, number, code))
        return number

    def _question_row(self, code, number):
        rows = self._read("SELECT body, state FROM questions WHERE code=? AND number=?",
                          (code, number))
        return (rows[0]["body"], rows[0]["state"]) if rows else None

    def _set_state(self, code, number, state):
        with self._write() as db:
            db.execute("UPDATE questions SET state=? WHERE code=? AND number=?",
                       (state, code, number))

    def _reset(self, code, number):
        with self._write() as db:
            db.execute("DELETE FROM answers WHERE code=? AND number=?", (code, number))
            db.execute("UPDATE questions SET state='open' WHERE code=? AND number=?",
                       (code, number))

    def _put_answer(self, code, number, student, payload, expires) -> str:
        window = int(self.clock() // self.answer_window)
        with self._write() as db:
            db.execute("DELETE FROM rate WHERE code=? AND student=? AND window<?",
                       (code, student, window))
            db.execute("INSERT INTO rate VALUES (?, ?, ?, 1) ON CONFLICT (code, student, "
                       "window) DO UPDATE SET n = n + 1", (code, student, window))
            n = db.execute("SELECT n FROM rate WHERE code=? AND student=? AND window=?",
                           (code, student, window)).fetchone()[0]
            if n > self.answer_limit:
                return "limited"
            row = db.execute("SELECT state FROM questions WHERE code=? AND number=?",
                             (code, number)).fetchone()
            if row is None or row[0] != "open":
                return row[0] if row else "gone"
            db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?)",
                       (code, number, student, payload))
        return "ok"

    def _answers(self, code, number):
        return {r["student"]: r["payload"] for r in self._read(
            "SELECT student, payload FROM answers WHERE code=? AND number=?", (code, number))}

    def _answer_of(self, code, number, student):
        rows = self._read("SELECT payload FROM answers WHERE code=? AND number=? AND student=?",
                          (code, number, student))
        return rows[0]["payload"] if rows else None

    def _count(self, code, number) -> int:
        return self._read("SELECT COUNT(*) FROM answers WHERE code=? AND number=?",
                          (code, number))[0][0]
