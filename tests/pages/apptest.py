"""Driving the app through Streamlit's AppTest: open it on a page, press buttons, read
metrics; and a clock for Play that only the test moves."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from app_pages import menu

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def switch_to(at: AppTest, url_path: str) -> AppTest:
    """Go to the page at ``url_path`` on the next ``run()``.

    (``AppTest.switch_page`` takes a page *file*; our pages are callables given to
    ``st.Page`` with an explicit url_path, whose page hash Streamlit makes from that path.)
    """
    assert url_path in menu.pages(), url_path
    at._page_hash = calc_hash(url_path)
    return at


def article_example_state(**overrides) -> dict:
    """Session entries that open the app on the article's example (2 Gaussians, K = 2), the
    data many tests were written for, instead of the first screen's; ``overrides`` replace
    settings by their key (``init="random data points"``)."""
    from ui.settings import ARTICLE_EXAMPLE

    return {"s_" + key: value for key, value in {**ARTICLE_EXAMPLE, **overrides}.items()}


def open_app(url_path: str | None = None, **state) -> AppTest:
    """The app after its first run (on ``url_path``'s page if given), with ``state`` set
    in its session first."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    if url_path is not None:
        switch_to(at, url_path).run()
        assert not at.exception, at.exception
    return at


def button(at, label):
    [b] = [b for b in at.button if b.label == label]
    return b


def metrics(at):
    return {m.label: m.value for m in at.metric}


def click(at, label):
    """Press the button labelled ``label``; the metrics after the rerun."""
    button(at, label).click().run()
    assert not at.exception, at.exception
    return metrics(at)


class Clock:
    """Stands in for ``ui.playback._clock``: time moves only by ``advance`` (or by
    ``per_reading`` seconds at each reading)."""

    def __init__(self, per_reading=0.0):
        self.now = 1000.0
        self.per_reading = per_reading

    def __call__(self) -> float:
        self.now += self.per_reading
        return self.now

    def advance(self, seconds: float):
        self.now += seconds
