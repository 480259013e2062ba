"""Issue 9 ("the first five minutes"): charts that fit any data, readable log-likelihood
axes, one iteration convention, explained marks, big data drawn as a sample."""

import re

import numpy as np
import pytest

from gmm_core import EMEngine
from gmm_core.datasets import (
    load_faithful,
    load_iris_features,
    load_penguins,
    make_bimodal_1d,
    make_unequal_sizes,
)
from ui import data as data_mod
from ui import figures, palette


def _engine(X, k=2, init="kmeans", steps=3, seed=0):
    engine = EMEngine(X, k, init=init, random_state=seed)
    for _ in range(steps):
        engine.e_step()
        engine.m_step()
    return engine


# ---- item 3: equal axis scales only where the columns share units -------------------------

def _covers(axis_range, values):
    return axis_range[0] <= values.min() and values.max() <= axis_range[1]


@pytest.mark.parametrize("dataset, same", [
    (load_faithful(), False),  # minutes of eruption vs minutes of waiting: 3.5 vs 53 spans
    (load_penguins(("bill_length_mm", "body_mass_g")), False),  # mm vs g
    (load_iris_features(), True),  # cm vs cm
    (make_unequal_sizes(300, 1), True),  # synthetic x, y
])
def test_equal_scales_only_for_columns_with_the_same_units(dataset, same):
    assert dataset.same_units is same
    engine = _engine(dataset.X, 2, steps=1)
    fig = figures.mixture_figure(dataset.X, engine.current, engine.responsibilities,
                                 same_units=dataset.same_units)
    if same:
        assert fig.layout.yaxis.scaleanchor == "x"
    else:
        assert fig.layout.yaxis.scaleanchor is None
        # independent axes that fit the data: each range covers its column, and the data
        # spans most of each axis (no sliver)
        for axis, col in ((fig.layout.xaxis, 0), (fig.layout.yaxis, 1)):
            lo, hi = axis.range
            v = dataset.X[:, col]
            assert _covers(axis.range, v)
            assert (v.max() - v.min()) / (hi - lo) > 0.7


def test_every_dataset_can_be_standardised():
    for dataset in (load_faithful(), load_penguins(), make_bimodal_1d(200, 0)):
        std = data_mod.standardized(dataset)
        np.testing.assert_allclose(std.X.mean(axis=0), 0, atol=1e-12)
        np.testing.assert_allclose(std.X.std(axis=0), 1, rtol=1e-12)
        assert std.same_units and "standardised" in std.note.lower()
        np.testing.assert_array_equal(std.labels, dataset.labels)


# ---- item 5: every log-likelihood point readable ------------------------------------------

def _number(text):
    """The first number in ``text`` ("−2.9e9", "−1,234.0"), true minus signs allowed."""
    m = re.search(r"[−-]?[\d,]+(\.\d+)?(e[+−-]?\d+)?", text)
    return float(m.group(0).replace("−", "-").replace(",", ""))


def _check_every_point_readable(fig, xs, ys):
    """Each (x, y) is inside the y range, or marked at the range's bottom edge at x with an
    annotation whose number is below the axis."""
    y_range = fig.layout.yaxis.range
    if y_range is None:
        return
    lo, hi = y_range
    marks = [t for t in fig.data if (t.name or "").startswith("off scale")]
    notes = [a.text for a in fig.layout.annotations]
    for x, y in zip(xs, ys):
        if lo <= y <= hi:
            continue
        marked = [t for t in marks if x in list(t.x)]
        assert marked, f"point at {x} (y = {y}) is off the axis and not marked"
        for t in marked:
            assert all(lo <= v <= hi for v in t.y)
        assert any("off scale" in n and _number(n) < lo for n in notes), notes


def test_log_likelihood_figure_marks_a_spike_start_at_the_bottom_edge():
    X = make_unequal_sizes(600, 1).X
    engine = _engine(X, 3, init="k-means++", steps=6)
    ll = [r.log_likelihood for r in engine.history]
    assert ll[0] < -1e8  # scikit-learn's start from K points: covariances of reg_covar
    fig = figures.log_likelihood_figure(engine.history, 3)
    lo, hi = fig.layout.yaxis.range
    assert hi - lo < 1e6  # the climb, not billions
    _check_every_point_readable(fig, [r.index for r in engine.history], ll)


def test_log_likelihood_figure_1d_start_reads_below_the_axis():
    X = make_bimodal_1d(600, 0).X
    engine = _engine(X, 2, init="random_from_data", steps=8)
    ll = [r.log_likelihood for r in engine.history]
    fig = figures.log_likelihood_figure(engine.history, 0)
    _check_every_point_readable(fig, [r.index for r in engine.history], ll)


def test_curves_figure_at_iteration_zero_is_not_scaled_in_billions():
    X = make_unequal_sizes(600, 1).X
    km = EMEngine(X, 3, init="kmeans", random_state=0)
    spike = EMEngine(X, 3, init="k-means++", random_state=0)
    curves = {"k-means": (km.history, "#0072B2"), "k-means++": (spike.history, "#E69F00")}
    fig = figures.curves_figure(curves)
    lo, hi = fig.layout.yaxis.range
    assert lo <= km.history[0].log_likelihood <= hi and hi - lo < 1e6
    _check_every_point_readable(fig, [0], [spike.history[0].log_likelihood])
    for engine in (km, spike):
        engine.e_step(), engine.m_step()
    fig = figures.curves_figure(curves)
    _check_every_point_readable(fig, [0], [spike.history[0].log_likelihood])


# ---- item 6: one iteration convention in the title ----------------------------------------

def test_record_title_names_the_iteration_each_half_step_belongs_to():
    engine = EMEngine(make_unequal_sizes(300, 1).X, 3, random_state=0)
    assert figures.record_title(engine.current).startswith("start (iteration 0) · ")
    for t in (1, 2):  # the t-th E-step and M-step belong to iteration t
        engine.e_step()
        assert figures.record_title(engine.current).startswith(f"iteration {t} · E-step · ")
        engine.m_step()
        assert figures.record_title(engine.current).startswith(f"iteration {t} · M-step · ")


# ---- item 7: explained marks -----------------------------------------------------------

def _contrast_on_white(color):
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    lin = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lum = lin @ [0.2126, 0.7152, 0.0722]
    return 1.05 / (lum + 0.05)


def test_component_7_is_not_faint_on_white():
    # WCAG's relative luminance; Okabe-Ito's #F0E442 reaches 1.3 : 1 only
    worst_other = min(_contrast_on_white(c) for i, c in enumerate(palette.OKABE_ITO)
                      if i not in (6, 7))
    assert _contrast_on_white(palette.component_color(6)) >= worst_other


def test_streamlit_chart_colours_match_the_palette():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml")
                           .read_text())
    assert tuple(config["theme"]["chartCategoricalColors"]) == palette.OKABE_ITO


def test_ghost_ellipses_do_not_look_like_the_2_sigma_ellipses():
    X = make_unequal_sizes(300, 1).X
    engine = _engine(X, 3, steps=2)
    fig = figures.mixture_figure(X, engine.current, engine.responsibilities,
                                 previous=engine.history[-2], sigmas=(1, 2))
    ghosts = [t for t in fig.data if t.legendgroup == "before"]
    assert len(ghosts) == 3
    ellipse_styles = {(t.line.color, t.line.dash) for t in fig.data if t.fill == "toself"}
    components = {palette.component_color(c).lower() for c in range(3)}
    for g in ghosts:
        assert (g.line.color, g.line.dash) not in ellipse_styles
        assert g.line.color.lower() not in components and g.fill in (None, "none")
    shown = [g for g in ghosts if g.showlegend]
    assert len(shown) == 1 and shown[0].name == "before this M-step"


def test_marks_have_legend_entries():
    data = make_unequal_sizes(300, 1)
    engine = _engine(data.X, 3, steps=1)
    fig = figures.mixture_figure(data.X, engine.current, engine.responsibilities,
                                 uncertainty=True, true_labels=data.labels,
                                 label_names=data.label_names,
                                 initial_means=engine.history[0].means)
    names = [t.name for t in fig.data if t.showlegend is not False]
    for label in data.label_names:
        assert any(label in n for n in names), names
    assert any("uncertain" in n for n in names) and any("certain" in n for n in names)
    assert any("start" in n for n in names)
    panel = figures.panel_figure(data.X, engine.current, engine.responsibilities, title="t",
                                 initial_means=engine.history[0].means)
    assert any("◇" in a.text and "start" in a.text for a in panel.layout.annotations)


# ---- item 9: big data drawn as a fixed sample ---------------------------------------------

def test_big_data_is_drawn_as_a_fixed_sample_and_says_so():
    rng = np.random.default_rng(0)
    X = np.r_[rng.normal(0, 1, (200_000, 2)), rng.normal(6, 1, (200_000, 2))]
    engine = EMEngine(X, 2, random_state=0)
    engine.e_step()
    figs = [figures.mixture_figure(X, engine.current, engine.responsibilities)]
    engine.m_step()
    figs.append(figures.mixture_figure(X, engine.current, engine.responsibilities))
    shown = [np.asarray(f.data[0].customdata) for f in figs]
    assert len(shown[0]) == figures.MAX_DRAWN_POINTS == 20_000
    np.testing.assert_array_equal(shown[0], shown[1])  # no flicker between steps
    np.testing.assert_allclose(np.c_[figs[0].data[0].x, figs[0].data[0].y], X[shown[0]])
    assert any("showing 20,000 of 400,000 points" in a.text for a in figs[0].layout.annotations)
    # the sample is spread over the data: both clusters at about their share
    assert abs((X[shown[0], 0] > 3).mean() - 0.5) < 0.03
    one_d = figures.density_1d_figure(X[:, :1], engine.current.__class__.from_parameters(
        EMEngine(X[:, :1], 2, random_state=0).current.params, X[:, :1]))
    assert all(len(t.x) <= 20_000 for t in one_d.data if t.type in ("histogram",) or
               t.name == "data points")


def test_without_the_units_fact_only_comparable_spans_get_equal_scales():
    # a caller that does not pass Dataset.same_units: penguins' bill (28 mm span) and flipper
    # (59 mm span) get their own scales, the synthetic sets equal ones
    penguins = load_penguins()
    blobs = make_unequal_sizes(300, 1)
    for dataset, anchored in ((penguins, False), (blobs, True)):
        engine = _engine(dataset.X, 2, steps=1)
        fig = figures.mixture_figure(dataset.X, engine.current, engine.responsibilities)
        assert (fig.layout.yaxis.scaleanchor == "x") is anchored


def test_an_ordinary_start_and_the_biggest_jump_stay_on_the_axis():
    # Old Faithful from k-means: the start lies 12 below a climb of 1.3; that first jump is
    # the lesson, so no point leaves the axis (before: the start was cut off)
    X = load_faithful().X
    engine = _engine(X, 2, steps=3)
    fig = figures.log_likelihood_figure(engine.history, 6)
    assert not [t for t in fig.data if (t.name or "").startswith("off scale")]
    if fig.layout.yaxis.range is not None:
        lo, hi = fig.layout.yaxis.range
        assert all(lo <= r.log_likelihood <= hi for r in engine.history)
