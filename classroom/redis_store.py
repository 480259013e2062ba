"""The class store in Redis: for replicas on several machines.

Keys (every one of a class expires with it, ``EXPIRE``, so Redis deletes them even if no
app ever looks again): ``emc:<code>`` (a hash: owner_hash, created, expires, current,
n_questions), ``emc:<code>:q:<n>`` (body, state), ``emc:<code>:a:<n>`` (student → answer),
``emc:<code>:rate:<student>:<window>`` (a counter), ``emc-ended:<code>`` (the end time, kept a
day). Taking an answer is one Lua script, so the rate count, the "is it open?" check and the
write are atomic however many replicas write at once.
"""

from __future__ import annotations

import redis

from .store import ENDED_MEMORY, ClassStore, StoreUnavailable

_PUT_ANSWER = """
local n = redis.call('INCR', KEYS[3])
if n == 1 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[4])) end
if n > tonumber(ARGV[3]) then return 'limited' end
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'gone' end
if state ~= 'open' then return state end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
return 'ok'
"""

_ADD_QUESTION = """
local number = redis.call('HINCRBY', KEYS[1], 'n_questions', 1) - 1
local key = KEYS[1] .. ':q:' .. number
redis.call('HSET', key, 'body', ARGV[1], 'state', 'open')
redis.call('EXPIRE', key, tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'current', number)
return number
"""


def _guard(method):
    """Redis down or refusing: StoreUnavailable in plain words."""
    def wrapped(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except redis.RedisError as exc:
            raise StoreUnavailable(f"The class store (Redis at {self.where}) cannot be "
                                   f"reached: {exc}.") from None
    wrapped.__name__ = method.__name__
    return wrapped


class RedisStore(ClassStore):
    def __init__(self, url: str, **kwargs):
        super().__init__(**kwargs)
        self.where = url.split("@")[-1]  # never a password on screen
        self.r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=5,
                                      socket_connect_timeout=3, health_check_interval=30)
        self._put = self.r.register_script(_PUT_ANSWER)
        self._add = self.r.register_script(_ADD_QUESTION)

    def __repr__(self):
        return f"RedisStore({self.where!r})"

    def _left(self, expires) -> int:
        """Seconds until ``expires`` by this store's clock (Redis counts them itself)."""
        return max(1, int(expires - self.clock()) + 1)

    @staticmethod
    def _key(code, *parts) -> str:
        return ":".join(("emc", code, *map(str, parts)))

    @_guard
    def ping(self):
        self.r.ping()

    @_guard
    def _insert_class(self, code, owner_hash, created, expires) -> bool:
        key = self._key(code)
        if self.r.exists(f"emc-ended:{code}"):
            return False
        fields = {"owner_hash": owner_hash, "created": created, "expires": expires,
                  "current": "", "n_questions": 0}
        # HSETNX on the owner first: two replicas drawing the same code cannot both win.
        if not self.r.hsetnx(key, "owner_hash", owner_hash):
            return False
        pipe = self.r.pipeline()
        pipe.hset(key, mapping=fields)
        pipe.expire(key, self._left(expires))
        pipe.execute()
        return True

    @_guard
    def _class_row(self, code):
        row = self.r.hgetall(self._key(code))
        if not row or "expires" not in row:
            return None
        return {"owner_hash": row["owner_hash"], "created": float(row["created"]),
                "expires": float(row["expires"]),
                "current": int(row["current"]) if row.get("current") else None,
                "n_questions": int(row.get("n_questions", 0))}

    @_guard
    def _ended(self, code) -> bool:
        return bool(self.r.exists(f"emc-ended:{code}"))

    @_guard
    def _delete_class(self, code, expired_at):
        keys = list(self.r.scan_iter(match=self._key(code, "*"), count=500))
        pipe = self.r.pipeline()
        pipe.delete(self._key(code), *keys)
        pipe.set(f"emc-ended:{code}", expired_at, ex=ENDED_MEMORY)
        pipe.execute()

    @_guard
    def _expired_codes(self, now):
        # Redis deletes expired classes itself (EXPIREAT); nothing to sweep.
        return []

    @_guard
    def _add_question(self, code, body, expires) -> int:
        return int(self._add(keys=[self._key(code)], args=[body, self._left(expires)]))

    @_guard
    def _question_row(self, code, number):
        row = self.r.hmget(self._key(code, "q", number), "body", "state")
        return None if row[0] is None else (row[0], row[1])

    @_guard
    def _set_state(self, code, number, state):
        self.r.hset(self._key(code, "q", number), "state", state)

    @_guard
    def _reset(self, code, number):
        pipe = self.r.pipeline()  # MULTI/EXEC: nobody sees the answers gone but still closed
        pipe.delete(self._key(code, "a", number))
        pipe.hset(self._key(code, "q", number), "state", "open")
        pipe.execute()

    @_guard
    def _put_answer(self, code, number, student, payload, expires) -> str:
        window = int(self.clock() // self.answer_window)
        keys = [self._key(code, "q", number), self._key(code, "a", number),
                self._key(code, "rate", student, window)]
        return self._put(keys=keys, args=[student, payload, self.answer_limit,
                                          2 * self.answer_window, self._left(expires)])

    @_guard
    def _answers(self, code, number):
        return self.r.hgetall(self._key(code, "a", number))

    @_guard
    def _answer_of(self, code, number, student):
        return self.r.hget(self._key(code, "a", number), student)

    @_guard
    def _count(self, code, number) -> int:
        return int(self.r.hlen(self._key(code, "a", number)))
