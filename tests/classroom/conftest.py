"""One store fixture, parametrised over both backends: every store test runs on SQLite
(a file in tmp_path) and on Redis (a private redis-server, flushed between tests)."""

from __future__ import annotations

import pytest

from classroom import open_store

from .redis_server import redis_server


class Clock:
    """A clock the tests move by hand (expiry and rate windows without waiting)."""

    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture(scope="session")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'classes.sqlite3'}"
    url = request.getfixturevalue("redis_url")
    import redis

    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture()
def store(store_url, clock):
    return open_store(store_url, clock=clock)
