"""ui.links, the URL codec: every setting survives encode → URL text → parse unchanged, and
every tampered parameter is named in a notice with the safe value used instead."""

from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app_pages import APPLICATIONS, INITIALIZATIONS, MODEL_SELECTION, STEP_BY_STEP
from app_pages.link_fields import known_names, link_pages
from gmm_core import COVARIANCE_TYPES
from gmm_core.datasets import IRIS_FEATURES, PENGUIN_NUMERIC
from ui import data as data_mod
from ui import links, session
from ui import settings as table
from ui.links import AT, MEANS, RAN, PageFields, parse
from ui.start import Start

STEP = PageFields("all", links.STEP_FIELDS)
CURRENT = {**table.FIRST_SCREEN, **table.COLUMN_DEFAULTS}


def through_url(params: dict) -> dict:
    """What a browser gives back: the parameters URL-encoded, then decoded."""
    return dict(parse_qsl(urlencode(params)))


@st.composite
def step_values(draw):
    dataset = draw(st.sampled_from([n for n in data_mod.DATASET_NAMES if n != data_mod.UPLOAD]))
    k = draw(st.integers(table.K.lo, table.K.hi))
    init = draw(st.sampled_from(list(links.INITS.values())))
    values = {
        session.DATASET: dataset, session.STANDARDIZE: draw(st.booleans()), session.K: k,
        session.COVARIANCE_TYPE: draw(st.sampled_from(COVARIANCE_TYPES)),
        session.INIT: init, session.SEED: draw(st.integers(0, 1_000_000)),
        session.REG_COVAR: draw(st.sampled_from(table.REG_COVAR.options)),
        session.TOL: draw(st.sampled_from(table.TOL.options)),
        session.MAX_ITER: draw(st.integers(1, 1000)),
    }
    if data_mod.is_synthetic(dataset):
        values[session.N_POINTS] = 50 * draw(st.integers(1, 400))
        values[session.DATA_SEED] = draw(st.integers(0, 1_000_000))
    if dataset in (data_mod.PENGUINS, data_mod.IRIS):
        options = PENGUIN_NUMERIC if dataset == data_mod.PENGUINS else IRIS_FEATURES
        key = session.PENGUIN_COLUMNS if dataset == data_mod.PENGUINS else session.IRIS_COLUMNS
        values[key] = draw(st.lists(st.sampled_from(options), min_size=2, max_size=2,
                                    unique=True))
    if init == Start.CLICK:
        values[MEANS] = tuple(draw(st.lists(st.integers(0, 19_999), min_size=k, max_size=k)))
    at = draw(st.integers(0, 2000))
    values[AT], values[RAN] = at, at + draw(st.integers(0, 50))
    return values


@settings(max_examples=300, deadline=None)
@given(step_values())
def test_every_step_by_step_setting_survives_the_round_trip(values):
    params = links.encode(values, STEP)
    link = parse(through_url(params), CURRENT, STEP)
    assert link.notices == []
    assert link.values == values


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 4), st.lists(st.tuples(st.sampled_from(list(links.INITS.values())),
                                             st.integers(0, 1_000_000)), min_size=4,
                                   max_size=4),
       st.lists(st.sampled_from([v for t, v in links.INITS.items() if t != "click"]),
                min_size=1, max_size=4, unique=True),
       st.integers(2, 20))
def test_the_initializations_runs_and_study_survive_the_round_trip(n_runs, runs, methods,
                                                                   tens):
    from app_pages.initializations import keys

    page = link_pages()[INITIALIZATIONS]
    values = {keys.N_RUNS: n_runs, keys.METHODS: methods, keys.N_SEEDS: 10 * tens}
    for i, (method, seed) in enumerate(runs[:n_runs]):
        values[keys.run_init(i)], values[keys.run_seed(i)] = method, seed
    link = parse(through_url(links.encode(values, page)), {}, page)
    assert link.notices == [] and link.values == values


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["bic", "aic", "icl"]), st.integers(1, 20), st.integers(0, 10**6),
       st.booleans(), st.one_of(st.just("best"), st.builds(
           lambda k, c: f"{k}|{c}", st.integers(1, 10), st.sampled_from(COVARIANCE_TYPES))))
def test_the_model_selection_choices_survive_the_round_trip(crit, n_init, seed, degen, model):
    from app_pages.model_selection import keys

    page = link_pages()[MODEL_SELECTION]
    values = {keys.CRITERION: crit, keys.N_INIT: n_init, keys.SEED: seed,
              keys.INCLUDE_DEGENERATE: degen, keys.MODEL: model}
    link = parse(through_url(links.encode(values, page)), {}, page)
    assert link.notices == [] and link.values == values


def test_the_applications_tab_survives_the_round_trip():
    from app_pages.applications import TABS, keys

    page = link_pages()[APPLICATIONS]
    for tab in TABS:
        link = parse(through_url(links.encode({keys.TAB: tab}, page)), {}, page)
        assert link.values == {keys.TAB: tab} and link.notices == []


def test_dataset_slugs_are_distinct_and_read_in_any_case():
    assert len({links.slug(n) for n in data_mod.DATASET_NAMES}) == len(data_mod.DATASET_NAMES)
    link = parse({"data": "ANISOTROPIC-cigars"}, CURRENT, STEP)
    assert link.values == {session.DATASET: "Anisotropic cigars"}


def test_the_sidebar_offers_exactly_the_choices_a_link_reads():
    assert set(links.INITS.values()) == set(table.INIT.options) - {Start.FILE}
    fields = {f.key: f for f in links.DATA_FIELDS + links.MODEL_FIELDS + links.START_FIELDS}
    rows = [s for s in table.ALL if s.url is not None]
    assert set(fields) == {s.key for s in rows}
    for row in rows:
        f = fields[row.key]
        assert f.name == row.url
        if row.widget in ("slider", "number"):  # the widget's range, read from a link
            assert f.read(str(row.hi)) == row.hi and f.read(str(row.lo)) == row.lo
            for outside in (row.lo - row.grid, row.hi + row.grid):
                with pytest.raises(ValueError, match=f"from {row.lo:,} to {row.hi:,}"):
                    f.read(str(outside))
        elif row.widget in ("select", "select_slider"):
            carried = [o for o in row.options if o != Start.FILE]
            assert [f.read(f.write(o)) for o in carried] == carried


# ------------------------------------------------------------------------------------------
# Tampered and stale links


def notice_for(params, page=STEP, current=CURRENT):
    link = parse(params, current, page, known_names())
    assert len(link.notices) == 1, link.notices
    return link, link.notices[0]


def test_unknown_dataset():
    link, text = notice_for({"data": "nonsense"})
    assert session.DATASET not in link.values
    assert "data = 'nonsense'" in text and "using data = unequal-cluster-sizes" in text


def test_k_zero_and_k_text():
    for bad in ("0", "abc", "11", "2.5", ""):
        link, text = notice_for({"K": bad, "cov": "tied"})
        assert link.values == {session.COVARIANCE_TYPE: "tied"}  # the rest still applies
        assert f"K = {bad!r}" in text and "1 to 10" in text and text.endswith("using K = 3.")


def test_tol_text():
    link, text = notice_for({"tol": "xyz"})
    assert session.TOL not in link.values
    assert "tol = 'xyz'" in text and "using tol = 1e-3" in text


def test_negative_n_and_a_step_off_the_slider():
    for bad in ("-600", "601", "20050"):
        link, text = notice_for({"data": "moons", "n": bad})
        assert link.values == {session.DATASET: "Moons"}
        assert "steps of 50" in text and "using n = 600" in text


def test_columns_not_in_the_dataset():
    link, text = notice_for({"data": "iris", "cols": "bill_length_mm,petal width (cm)"})
    assert link.values == {session.DATASET: data_mod.IRIS}
    assert "two different columns of Iris" in text
    assert "using cols = petal length (cm),petal width (cm)" in text
    _, text = notice_for({"data": "moons", "cols": "a,b"})
    assert "does not apply to Moons" in text


def test_means_of_the_wrong_count_or_not_rows():
    link, text = notice_for({"K": "3", "init": "click", "means": "4,9"})
    assert MEANS not in link.values and "2 mean(s) but K = 3" in text
    link, text = notice_for({"K": "2", "init": "click", "means": "4,x"})
    assert MEANS not in link.values and "row numbers" in text
    link, text = notice_for({"K": "2", "init": "click", "means": "-1,3"})
    assert MEANS not in link.values


def test_a_start_that_cannot_travel_is_reported():
    link, text = notice_for({"init": "parameters-from-a-file"})
    assert session.INIT not in link.values and "using init = kmeans" in text


def test_half_step_text_and_shown_past_run():
    link, text = notice_for({"at": "abc"})
    assert AT not in link.values
    link, text = notice_for({"at": "9", "ran": "4"})
    assert link.values == {AT: 9, RAN: 9} and "running to 9" in text


def test_unknown_parameters_are_named_but_reserved_and_other_pages_ones_are_not():
    link, text = notice_for({"foo": "1", "present": "1", "stop": "3", "crit": "aic"})
    assert "'foo'" in text and link.values == {}


def test_every_notice_quotes_at_most_a_short_piece_of_a_long_value():
    link, text = notice_for({"K": "9" * 5000})
    assert len(text) < 200


def test_a_link_with_every_parameter_valid_has_no_notice_on_each_page():
    for url_path, page in link_pages().items():
        link = parse({}, CURRENT, page, known_names())
        assert link.notices == [] and link.values == {}, url_path
    assert link_pages()[STEP_BY_STEP].all_fields()[-1].name == RAN
