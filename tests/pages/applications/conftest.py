"""AppTest of the Applications page on its own: a tiny script that calls ``render()``."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ..apptest import article_example_state


def _script():
    import app_pages.applications

    app_pages.applications.render()


def open_tab(at, name):
    at.session_state["app_tab"] = name
    at.run()
    assert not at.exception, at.exception
    return at


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def number(text: str) -> float:
    """A number as the page shows it (thousands commas, a typographic minus)."""
    return float(text.replace(",", "").replace("−", "-").split()[0])


def use_data(at, X, names, name="test data"):
    """Make ``X`` the sidebar's data, as an upload would (AppTest cannot upload files): the
    sidebar is set to "Upload CSV" with nothing uploaded, so it keeps the data it is given."""
    from gmm_core.datasets import Dataset

    at.sidebar.selectbox(key="dataset").set_value("Upload CSV").run()
    at.session_state["data"] = Dataset(name, np.asarray(X, dtype=float), tuple(names))
    at.session_state["data_key"] = (name, np.asarray(X).tobytes())
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture()
def at():
    app = AppTest.from_function(_script, default_timeout=120)
    for key, value in article_example_state().items():  # the data these tests expect
        app.session_state[key] = value
    app.run()
    assert not app.exception, app.exception
    return app
