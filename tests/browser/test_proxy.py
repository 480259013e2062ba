"""The deployment of deploy/serve.py: two app replicas behind nginx, driven through nginx by
headless Chromium (scripts/ensure_nginx.sh installs nginx; `make test` runs it first).

A Streamlit session lives in one replica, so everything one browser sends must reach that
replica: the websocket (stepping works at all), and a file upload, which Streamlit refuses
("Invalid session_id") in a replica that does not hold the session.
"""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from deploy.serve import Deployment

from .conftest import _COUNTERS, RunCounter
from .test_step_page import choose, metric, metric_value, open_app, press

COOKIE = "em_replica"


@pytest.fixture(scope="module")
def proxy():
    with Deployment(replicas=2) as deployment:
        yield deployment


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


def test_the_proxy_sets_one_sticky_cookie_per_browser(proxy):
    with urllib.request.urlopen(proxy.url + "/") as first:
        cookies = first.headers.get_all("Set-Cookie") or []
        assert first.status == 200 and b"<html" in first.read().lower()
    [mine] = [c for c in cookies if c.startswith(COOKIE + "=")]
    value = mine.split(";")[0].split("=", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{32}", value) and "HttpOnly" in mine
    again = urllib.request.Request(proxy.url + "/", headers={"Cookie": f"{COOKIE}={value}"})
    with urllib.request.urlopen(again) as second:
        assert not [c for c in second.headers.get_all("Set-Cookie") or []
                    if c.startswith(COOKIE + "=")]  # a browser that has one keeps it
    with urllib.request.urlopen(proxy.url + "/healthz") as health:
        assert health.read().strip() == b"ok"


def test_two_students_step_through_the_proxy(proxy, page, browser):
    open_app(page, proxy.url)
    assert any(c["name"] == COOKIE for c in page.context.cookies())
    assert metric(page, "Iteration") == "0"
    press(page, "Full iteration")
    press(page, "Full iteration")
    assert metric(page, "Iteration") == "2"

    context, other = new_page(browser)  # a second student: a session of their own
    try:
        _COUNTERS[id(other)] = RunCounter(other)
        open_app(other, proxy.url)
        assert metric(other, "Iteration") == "0"
        press(other, "Full iteration")
        assert metric(other, "Iteration") == "1"
        press(page, "Full iteration")  # the first student's session goes on where it was
        assert metric(page, "Iteration") == "3"
        assert metric(other, "Iteration") == "1"
    finally:
        _COUNTERS.pop(id(other), None)
        context.close()


@pytest.mark.parametrize("student", range(3))
def test_an_upload_reaches_the_replica_of_its_session(proxy, page, tmp_path, student):
    """Each student is a fresh browser with a new random cookie: without stickiness half
    the uploads would land in the other replica and be refused (all three pass by chance
    with probability 1/8)."""
    open_app(page, proxy.url)
    choose(page, "Dataset", "Upload CSV")
    good = tmp_path / "good.csv"
    good.write_text("a,b\n" + "\n".join(f"{i % 7},{(i * 3 + student) % 11}" for i in range(60)))
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    upload.set_input_files(str(good))
    expect(page.get_by_text(re.compile("In use: good.csv, 60 points"))).to_be_visible(
        timeout=30_000)
    expect(metric_value(page, "Iteration")).to_have_text("0", timeout=30_000)
    press(page, "Full iteration")
    assert metric(page, "Iteration") == "1"


def test_a_dead_replica_is_routed_around_then_restarted():
    """nginx's passive health check sends new requests to the live replica at once (never
    an error page), and the supervisor of deploy/serve.py brings the dead one back."""
    with Deployment(replicas=2) as deployment:
        deployment.procs[0].kill()
        deployment.procs[0].wait()
        for _ in range(12):  # new browsers: random cookies, half of them hashed to the dead one
            with urllib.request.urlopen(deployment.url + "/") as page:
                assert page.status == 200
            with urllib.request.urlopen(deployment.url + "/healthz") as health:
                assert health.read().strip() == b"ok"
        assert deployment.restart_dead() == [1]
        port = deployment.replica_ports[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as health:
            assert health.read().strip() == b"ok"
        assert deployment.restart_dead() == []
