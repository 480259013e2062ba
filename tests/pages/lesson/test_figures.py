"""The Lesson's two interactive figures, as data: the M-step chart's click row and the
latent-variable chart with and without colours."""

from __future__ import annotations

import numpy as np

from app_pages.lesson import figures
from lab_maths.lesson import START, TRUE_MIXTURE, draw_latent, e_step, lesson_data


def m_step(guesses, turn, new=None):
    x = lesson_data()
    return figures.m_step_figure(x, START, e_step(x, START)[0], guesses, turn, new)


def click_row(fig):
    [row] = [t for t in fig.data if t.customdata is not None]
    return row


def test_a_click_anywhere_picks_the_nearest_point_of_a_dense_row_on_the_axis():
    fig = m_step([None, None], 0)
    row = click_row(fig)
    assert fig.layout.hovermode == "x"  # nearest in x: the height of a click does not matter
    np.testing.assert_array_equal(row.x, figures.CLICK_GRID)
    np.testing.assert_array_equal(row.customdata, np.arange(len(figures.CLICK_GRID)))
    assert np.all(np.asarray(row.y) == 0) and row.marker.opacity == 0
    assert np.allclose(np.diff(row.x), 0.025)
    assert "μ₁" in row.hovertemplate and "μ₁" in fig.layout.title.text
    # every other trace is not hoverable, so a click never lands on it
    assert all(t.hoverinfo == "skip" for t in fig.data if t is not row)


def test_the_guesses_are_drawn_in_their_components_colours_and_the_row_turns_off():
    fig = m_step([-1.5, None], 1)
    [diamonds] = [t for t in fig.data if t.name == "your μ's"]
    assert list(diamonds.x) == [-1.5] and list(diamonds.marker.color) == ["#0072B2"]
    assert "μ₂" in click_row(fig).hovertemplate
    done = m_step([-1.5, 2.0], None, new=(-1.9, 1.8))
    assert click_row(done).hoverinfo == "skip"  # both placed: clicks place nothing
    labels = [a.text for a in done.layout.annotations]
    assert {"your μ₁", "your μ₂", "new μ₁", "new μ₂", "old μ₁", "old μ₂"} <= set(labels)


def test_latent_figure_stacks_by_z_then_shows_only_the_xs():
    u, z, x = draw_latent(TRUE_MIXTURE, 200, seed=11)
    fig = figures.latent_figure(u, z, x, 120, None, TRUE_MIXTURE, coloured=True)
    hists = [t for t in fig.data if t.type == "histogram"]
    for c, h in enumerate(hists):
        np.testing.assert_array_equal(h.x, x[:120][z[:120] == c])
    grey = figures.latent_figure(u, z, x, 120, None, TRUE_MIXTURE, coloured=False)
    [h] = [t for t in grey.data if t.type == "histogram"]
    np.testing.assert_array_equal(h.x, x[:120])
    assert grey.layout.title.text == "This is what EM sees"
    assert not [t for t in grey.data if t.type == "scatter"]  # no u marker, no z curves
    assert all(t.text == "z = ?" for t in grey.data if t.type == "bar")


def test_latent_figure_marks_u_of_the_point_whose_z_is_drawn():
    u, z, x = draw_latent(TRUE_MIXTURE, 10, seed=11)
    fig = figures.latent_figure(u, z, x, 2, 2, TRUE_MIXTURE, coloured=True)
    [mark] = [t for t in fig.data if t.type == "scatter" and t.mode == "markers+text"]
    assert list(mark.x) == [u[2]] and mark.text == (f"u = {u[2]:.3f}",)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [(b.base[0], b.x[0]) for b in bars] == [(0.0, 0.6), (0.6, 0.4)]


def test_m_step_labels_sit_above_the_curves():
    """Issue 24, item 8: "old μ₁" sat on the curve. Every label row (paper y ≥ 0.71) is
    above the tallest curve, which stays below 0.6 of the y-axis."""
    x = lesson_data()
    fig = m_step([-1.9, 1.7], None, (-1.95, 1.77))
    lo, hi = fig.layout.yaxis.range
    peak = max(max(t.y) for t in fig.data if t.name and t.name.startswith("π"))
    assert (peak - lo) / (hi - lo) < 0.6  # a label row is ±0.05 around its y
    labels = [a for a in fig.layout.annotations if "μ" in a.text]
    assert len(labels) == 6 and min(a.y for a in labels) >= 0.71
    assert x.size  # the lesson's own data drew it
