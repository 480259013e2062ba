"""The first load of each page's URL on a fresh server: only st.navigation's two pages,
no "Page not found", the right page, and the favicon shipped with the app.

A fresh server for each URL: Streamlit decides on the first script run of a server whether
the app uses file-based navigation (a ``pages/`` folder next to app.py), and that first run
is what leaked file-based labels and a "Page not found" before.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from .conftest import free_port, start_streamlit, stop, wait_for_app_idle

PAGES = ["Step by step", "Initializations", "Model selection", "Applications", "Lesson",
         "Class"]


class NavigationLog:
    """Every navigation message the server sends (the page list it shows), and whether it
    said "Page not found"."""

    def __init__(self, page):
        self.menus: list[list[str]] = []
        self.not_found = 0
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_frame(self, payload):
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg
            return
        kind = msg.WhichOneof("type")
        if kind == "navigation":
            self.menus.append([p.page_name for p in msg.navigation.app_pages])
        elif kind == "page_not_found":
            self.not_found += 1


@pytest.fixture(params=[("", "EM, one half-step at a time"),
                        ("/initializations", "Initializations"),
                        ("/class", "Class")],
                ids=["step-by-step", "initializations", "class"])
def fresh_load(request, browser):
    """A new server, and a new browser page that loads one URL first."""
    path, title = request.param
    port = free_port()
    proc = start_streamlit("app.py", port)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    log = NavigationLog(page)
    try:
        page.goto(f"http://127.0.0.1:{port}{path}")
        # a fresh server's first run imports everything: slow on a busy machine
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible(
            timeout=180_000)
        wait_for_app_idle(page)
        yield page, log
    finally:
        context.close()
        stop(proc)


def test_first_load_shows_only_the_apps_pages(fresh_load):
    page, log = fresh_load
    assert log.menus and all(menu == PAGES for menu in log.menus), log.menus
    assert log.not_found == 0
    nav = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    assert [t.strip().split("\n")[-1] for t in nav] == PAGES, nav


def test_the_favicon_is_served_by_the_app(fresh_load):
    page, _ = fresh_load
    hrefs = page.locator('link[rel*="icon"]').evaluate_all("ls => ls.map(l => l.href)")
    assert hrefs, "no favicon link"
    for href in hrefs:
        assert href.startswith("http://127.0.0.1:"), hrefs  # not an icon font on the web
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"] == "image/png", href
