"""The table of settings (ui.settings) and the Start type: each setting declared once, and
the sidebar, the first screen and Settings made from it."""

import pytest

from lab_maths.criteria import K_RANGE
from tests.pages.apptest import open_app
from ui import session
from ui import settings as table
from ui.session import Settings
from ui.start import SEEDED, Start


def test_a_start_is_read_from_its_label_engine_name_or_link_token():
    for start in Start:
        assert Start(start.value) is start and Start.of(start) is start
        assert Start.of(start.token) is start if start.token else start is Start.FILE
    assert [s.engine_init for s in SEEDED] == ["kmeans", "k-means++", "random",
                                               "random_from_data"]
    assert not Start.CLICK.seeded and not Start.FILE.seeded
    with pytest.raises(ValueError, match="Unknown start 'kmeans\\+\\+'"):
        Start.of("kmeans++")


def test_settings_hold_a_start_whatever_names_it():
    assert Settings(2, "full", "random_from_data", 0, 1e-6, 1e-3, 100).init is Start.DATAPOINTS
    assert Settings(2, "full", "click", 0, 1e-6, 1e-3, 100).init is Start.CLICK


def test_the_first_screen_is_the_documented_run():
    # README "Step by step": Unequal cluster sizes, 600 points, data seed 1, K = 3, full,
    # k-means start
    first = table.FIRST_SCREEN
    assert (first[session.DATASET], first[session.N_POINTS], first[session.DATA_SEED]) == (
        "Unequal cluster sizes", 600, 1)
    assert table.settings_from(first) == Settings(3, "full", Start.KMEANS, 0, 1e-6, 1e-3, 100)


def test_the_model_selection_grid_spans_the_sidebars_k():
    assert K_RANGE == tuple(range(table.K.lo, table.K.hi + 1))


def test_the_sidebar_draws_each_setting_from_its_row():
    at = open_app()
    widgets = {w.key: w for kind in (at.slider, at.number_input, at.selectbox,
                                     at.select_slider, at.checkbox) for w in kind}
    drawn = [s for s in table.ALL if s.key in widgets]
    # the Step by step page shows every model setting and the synthetic data's
    assert {s.key for s in table.MODEL + table.START} <= {s.key for s in drawn}
    for row in drawn:
        w = widgets[row.key]
        assert w.label == row.label
        assert w.value == table.FIRST_SCREEN.get(row.key, row.default)
        if row.widget in ("slider", "number"):
            assert (w.min, w.max, w.step) == (row.lo, row.hi, row.step)
        if row.widget in ("select", "select_slider"):  # shown through a format, if any
            shown = [str(o) for o in row.options]
            assert list(w.options) == shown if row in (table.DATASET, table.INIT) else (
                len(w.options) == len(shown))
