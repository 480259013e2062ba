"""Class mode across two replicas behind make serve's nginx: the lecturer on one replica,
students on both (sticky cookies chosen to land on each), answers meeting in the shared
store: the SQLite file both replicas open, and once Redis (a private redis-server)."""

from __future__ import annotations

import secrets
import urllib.request

import pytest

from classroom import open_store
from deploy.serve import Deployment

from ..classroom.redis_server import redis_server
from . import class_helpers as ch


@pytest.fixture(scope="module", params=["sqlite", "redis"])
def deployment(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('class') / 'classes.sqlite3'}"
        with Deployment(replicas=2, store=url) as found:
            yield found, url
    else:
        with redis_server() as url, Deployment(replicas=2, store=url) as found:
            yield found, url


def replica_of(base_url: str, cookie: str) -> str:
    """The replica (127.0.0.1:port) nginx sends a browser with this sticky cookie to."""
    request = urllib.request.Request(base_url + "/_stcore/health",
                                     headers={"Cookie": f"em_replica={cookie}"})
    with urllib.request.urlopen(request) as response:
        return response.headers["X-EM-Replica"]


def cookies_on_both(base_url: str, deployment: Deployment) -> list[str]:
    """Four sticky cookies: lecturer and first student on replica 1, the other two
    students on replica 2 (random values tried until each lands where wanted)."""
    wanted = [f"127.0.0.1:{deployment.replica_ports[i]}" for i in (0, 0, 1, 1)]
    found = []
    for target in wanted:
        for _ in range(200):
            cookie = secrets.token_hex(16)
            if replica_of(base_url, cookie) == target:
                found.append(cookie)
                break
    assert len(found) == 4
    return found


def test_a_class_across_two_replicas(browser, deployment):
    proxy, store_url = deployment
    cookies = cookies_on_both(proxy.url, proxy)
    code, lecturer, students, contexts = ch.run_class(browser, proxy.url, cookies)
    try:
        for context, cookie in zip(contexts, cookies):  # each browser stayed on its replica
            assert {c["value"] for c in context.cookies() if c["name"] == "em_replica"} \
                == {cookie}
        assert open_store(store_url).count(code, 0) == 3
    finally:
        for ctx in contexts:
            ctx.close()
