"""Figure builders: pure functions of engine records, checked against the numbers they draw."""

import numpy as np
import plotly.graph_objects as go
import pytest
from scipy import stats

from gmm_core import EMEngine
from gmm_core.datasets import make_article_example, make_bimodal_1d, make_cigars
from ui import figures, formulas, palette


@pytest.fixture(scope="module")
def run2d():
    data = make_article_example(300, seed=1)
    engine = EMEngine(data.X, 2, init="random_from_data", random_state=0)
    engine.e_step()
    engine.m_step()
    return data, engine


def test_ellipse_is_the_mahalanobis_contour():
    mean = np.array([1.0, -2.0])
    cov = np.array([[3.0, 1.2], [1.2, 1.0]])
    for n_sigma in (1, 2, 3):
        x, y = figures.ellipse_xy(mean, cov, n_sigma)
        diff = np.c_[x, y] - mean
        maha = np.einsum("ni,ij,nj->n", diff, np.linalg.inv(cov), diff)
        np.testing.assert_allclose(maha, n_sigma**2, rtol=1e-10)
        assert x[0] == pytest.approx(x[-1]) and y[0] == pytest.approx(y[-1])  # closed


def test_blend_mixes_component_colours():
    colours = palette.blend(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]))
    assert colours[0] == palette.OKABE_ITO[0].lower()
    assert colours[1] == palette.OKABE_ITO[1].lower()
    mid = (palette.rgb_array(2).sum(axis=0) / 2).round().astype(int)
    assert colours[2] == "#{:02x}{:02x}{:02x}".format(*mid)


def test_mixture_figure_draws_every_component(run2d):
    data, engine = run2d
    history = engine.history
    record = history[-1]
    fig = figures.mixture_figure(data.X, record, engine.responsibilities,
                                 previous=history[-2], sigmas=(1, 2), density=True)
    assert isinstance(fig, go.Figure)
    filled = [t for t in fig.data if getattr(t, "fill", None) == "toself"]
    assert len(filled) == 2 * 2  # 2 components × (1σ, 2σ)
    groups = {t.legendgroup for t in filled}
    assert groups == {"c0", "c1"}
    means = [t for t in fig.data if t.name and t.name.startswith(("1:", "2:"))]
    np.testing.assert_allclose([[t.x[0], t.y[0]] for t in means], record.means)
    # a ghost of the old ellipses and one arrow per component after an M-step
    assert sum(1 for t in fig.data if t.legendgroup == "before") == 2
    assert len(fig.layout.annotations) == 2
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.uirevision == "data"
    points = fig.data[0]
    assert list(points.customdata) == list(range(len(data.X)))
    assert points.marker.color[0] == palette.blend(engine.responsibilities[:1])[0]
    assert any(isinstance(t, go.Contour) for t in fig.data)


def test_mixture_figure_modes(run2d):
    data, engine = run2d
    record = engine.history[-1]
    resp = engine.responsibilities
    hard = figures.mixture_figure(data.X, record, resp, hard_labels=True)
    point_traces = [t for t in hard.data if t.name and t.name.startswith("points")]
    labels = resp.argmax(axis=1)
    assert [len(t.x) for t in point_traces] == [int((labels == c).sum()) for c in range(2)]
    unc = figures.mixture_figure(data.X, record, resp, uncertainty=True)
    np.testing.assert_allclose(unc.data[0].marker.size, 6 + 14 * (1 - resp.max(axis=1)))
    grey = figures.mixture_figure(data.X, engine.history[0], None)
    assert set(grey.data[0].marker.color) == {palette.NEUTRAL}
    big = np.random.default_rng(0).normal(size=(5000, 2))
    gl = figures.mixture_figure(big, record, None)
    # WebGL points hide SVG traces: ellipses and means must be WebGL too
    assert all(isinstance(t, go.Scattergl) for t in gl.data), {type(t) for t in gl.data}


def test_density_1d_matches_scipy():
    data = make_bimodal_1d(400, seed=2)
    engine = EMEngine(data.X, 2, random_state=0)
    engine.step()
    record = engine.history[-1]
    fig = figures.density_1d_figure(data.X, record, engine.responsibilities)
    comp = [t for t in fig.data if t.name and t.name.startswith("π1")][0]
    var = record.covariances.reshape(2)[0]
    expected = record.weights[0] * stats.norm.pdf(np.asarray(comp.x), record.means[0, 0],
                                                  np.sqrt(var))
    np.testing.assert_allclose(comp.y, expected, rtol=1e-12)
    mixture = [t for t in fig.data if t.name == "mixture p(x)"][0]
    np.testing.assert_allclose(mixture.y, np.exp(record.params.score_samples(
        np.asarray(mixture.x)[:, None])), rtol=1e-10)
    bands = [t for t in fig.data if getattr(t, "stackgroup", None) == "gamma"]
    np.testing.assert_allclose(np.sum([t.y for t in bands], axis=0), 1.0, rtol=1e-12)


def test_log_likelihood_figure_marks_phases(run2d):
    _, engine = run2d
    history = engine.history
    fig = figures.log_likelihood_figure(history, current_index=1)
    by_name = {t.name: t for t in fig.data}
    assert list(by_name["E-step"].customdata) == [1]
    assert list(by_name["M-step"].customdata) == [2]
    assert by_name["shown"].x[0] == 1
    # the spike start (random data points) is off the axis: the ring is on its mark there
    lo, hi = fig.layout.yaxis.range
    assert not lo <= history[1].log_likelihood <= hi
    assert by_name["shown"].y[0] == by_name["off scale (below)"].y[0]
    ring = figures.log_likelihood_figure(history, current_index=2)
    assert {t.name: t for t in ring.data}["shown"].y[0] == pytest.approx(
        history[2].log_likelihood)


def test_responsibilities_bar():
    fig = figures.responsibilities_bar([0.25, 0.75], point_index=4)
    assert list(fig.data[0].y) == [0.25, 0.75]
    assert "point 4" in fig.layout.title.text


def test_e_step_formula_numbers(run2d):
    data, engine = run2d
    record = engine.history[1]
    latex = formulas.e_step_numbers(data.X[5], 5, record)
    log_dens = formulas.component_log_densities(data.X[5], record)
    for z in range(2):
        expected = stats.multivariate_normal(record.means[z], record.params.full_covariances()[z])
        assert log_dens[z] == pytest.approx(expected.logpdf(data.X[5]), rel=1e-12)
    log_terms = np.log(record.weights) + log_dens
    gamma = np.exp(log_terms - np.logaddexp.reduce(log_terms))
    np.testing.assert_allclose(gamma, engine.responsibilities_at(1)[5], rtol=1e-9)
    assert formulas.fmt(gamma.max()) in latex
    rows = formulas.e_step_table(data.X[5], record)
    np.testing.assert_allclose([r["γ_z"] for r in rows], gamma, rtol=1e-12)


def test_m_step_formula_numbers(run2d):
    data, engine = run2d
    record = engine.history[2]
    latex = " ".join(formulas.m_step_numbers(record, 0, len(data.X)))
    assert formulas.fmt(record.nk[0]) in latex
    assert formulas.fmt(record.weights[0]) in latex
    assert formulas.fmt(record.means[0, 0]) in latex


def test_placing_figure():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    fig = figures.placing_figure(X, [[2.0, 3.0]])
    assert list(fig.data[0].customdata) == [0, 1, 2]
    assert (fig.data[1].x[0], fig.data[1].y[0]) == (2.0, 3.0)
    assert fig.data[1].marker.color[0] == palette.component_color(0)
    one_d = figures.placing_figure(X[:, :1], [])
    assert len(one_d.data) == 1 and set(one_d.data[0].y) == {0.0}


# Small multiples and restarts (the Initializations page's figures)


def test_restarts_figure_has_one_strip_per_method_with_rows_as_customdata():
    methods = ["a", "a", "b", "b", "b"]
    ll = [-10.0, -12.0, -9.0, -9.5, -20.0]
    fig = figures.restarts_figure(methods, ll, selected=4)
    strips = [t for t in fig.data if t.type == "scatter" and t.name in ("a", "b")]
    assert [list(t.customdata) for t in strips] == [[0, 1], [2, 3, 4]]
    assert [list(t.y) for t in strips] == [[-10.0, -12.0], [-9.0, -9.5, -20.0]]
    shown = [t for t in fig.data if t.name == "shown"][0]
    assert shown.y[0] == -20.0 and shown.x[0] == 1
    assert list(fig.layout.xaxis.ticktext) == ["a", "b"]


def test_panel_figure_shares_axes_and_draws_starts_as_diamonds():
    data = make_cigars(300, seed=0)
    ranges = figures.shared_ranges(data.X)
    engine = EMEngine(data.X, 3, init="k-means++", random_state=0)
    start = engine.history[0].means
    engine.run(100)
    fig = figures.panel_figure(data.X, engine.current, engine.responsibilities,
                                       title="t", ranges=ranges, initial_means=start)
    assert list(fig.layout.xaxis.range) == ranges[0] and list(fig.layout.yaxis.range) == ranges[1]
    assert fig.layout.showlegend is False
    [diamonds] = [t for t in fig.data if t.name == "start (initial means)"]
    np.testing.assert_allclose(np.c_[diamonds.x, diamonds.y], start)
    # 1-D data: the density figure, same x range, starts on the axis.
    x = data.X[:, :1]
    engine = EMEngine(x, 2, random_state=0)
    fig = figures.panel_figure(x, engine.current, None, title="t",
                                       ranges=figures.shared_ranges(x),
                                       initial_means=engine.history[0].means)
    [diamonds] = [t for t in fig.data if t.name == "start (initial means)"]
    assert diamonds.x.tolist() == pytest.approx(engine.history[0].means[:, 0].tolist())


def test_point_area_shows_the_sample_weight(run2d):
    data, engine = run2d
    w = np.arange(1, len(data.X) + 1, dtype=float)
    for hard in (False, True):
        fig = figures.mixture_figure(data.X, engine.history[-1], engine.responsibilities,
                                     sample_weight=w, hard_labels=hard)
        points = [t for t in fig.data if t.customdata is not None]
        rows = np.concatenate([np.asarray(t.customdata) for t in points])
        sizes = np.concatenate([np.broadcast_to(t.marker.size, len(t.customdata))
                                for t in points])
        diameter = sizes[np.argsort(rows)]
        # area ∝ weight: diameter² / weight is one constant (above the 1.5 px floor)
        big = diameter > 1.5
        ratio = diameter[big] ** 2 / w[big]
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)
        keys = [t.name for t in fig.data if t.legendgroup == "keys"]
        assert keys[:2] == [f"weight {w.max():.4g}", f"weight {w.max() / 4:.4g}"]
