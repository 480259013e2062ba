"""Presenter mode's styling (ui/figures/projector.py) and palette (ui/palette.py): text sizes,
marker and line sizes, WCAG contrast, and the colours' separation under colour blindness."""

import colorsys
import itertools
import json

import numpy as np
import plotly.io as pio
import pytest

from gmm_core import EMEngine
from gmm_core.datasets import make_article_example, make_bimodal_1d
from ui import figures, palette
from ui.figures import projector


@pytest.fixture(scope="module")
def run2d():
    data = make_article_example(300, seed=1)
    engine = EMEngine(data.X, 3, init="random_from_data", random_state=0)
    engine.e_step()
    engine.m_step()
    return data, engine


def built_figures(run2d):
    """One of each kind the pages show, with every option that adds text or traces."""
    data, engine = run2d
    record, previous = engine.history[-1], engine.history[-2]
    resp = engine.responsibilities_at(record.index)
    one_d = make_bimodal_1d(200, seed=0)
    e1 = EMEngine(one_d.X, 2, init="random_from_data", random_state=0)
    e1.e_step()
    e1.m_step()
    return {
        "mixture": figures.mixture_figure(data.X, record, resp, previous=previous,
                                          uncertainty=True, density=True, sigmas=(1, 2, 3),
                                          true_labels=data.labels, selected=3),
        "density_1d": figures.density_1d_figure(one_d.X, e1.history[-1],
                                                e1.responsibilities_at(2), selected=1),
        "log_likelihood": figures.log_likelihood_figure(engine.history, 1),
        "responsibilities": figures.responsibilities_bar(resp[0], point_index=0),
        "placing": figures.placing_figure(data.X, [data.X[0]]),
    }


def fonts(spec, path=""):
    """Every (path, font dict) in a figure's JSON."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key.endswith("font") and isinstance(value, dict):
                yield f"{path}.{key}", value
            yield from fonts(value, f"{path}.{key}")
    elif isinstance(spec, list):
        for i, value in enumerate(spec):
            yield from fonts(value, f"{path}[{i}]")


def as_json(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def decoded(value):
    return projector._array(value) if isinstance(value, (dict, list)) else value


def test_every_text_is_at_least_18_px(run2d):
    for name, fig in built_figures(run2d).items():
        spec = as_json(figures.for_projector(fig))
        layout = spec["layout"]
        # the global font: what every text without its own size inherits
        assert layout["font"]["size"] >= 18, name
        assert layout["title"]["font"]["size"] >= 22, name
        found = list(fonts(spec))
        assert len(found) > 5, name
        for path, font in found:
            if "size" in font:
                assert np.all(np.asarray(decoded(font["size"])) >= 18), (name, path, font)
        for axis in (k for k in layout if k.startswith(("xaxis", "yaxis"))):
            assert layout[axis]["tickfont"]["size"] >= 18, (name, axis)


def test_the_notes_of_a_chart_grow_too(run2d):
    """Annotations (the off-scale note, the sample note) had 11 px fonts of their own."""
    data, engine = run2d
    fig = figures.log_likelihood_figure(engine.history, 1)
    fig.add_annotation(text="a note", font=dict(size=11), x=0, y=0)
    before = [a.font.size for a in fig.layout.annotations]
    spec = as_json(figures.for_projector(fig))
    assert 11 in before and min(before) < 18
    assert [a["font"]["size"] for a in spec["layout"]["annotations"]] == [18] * len(before)


def test_markers_and_lines_grow_by_the_scale(run2d):
    for name, fig in built_figures(run2d).items():
        before, after = as_json(fig), as_json(figures.for_projector(fig))
        grown = 0
        for old, new in zip(before["data"], after["data"], strict=True):
            if "size" in old.get("marker", {}):
                np.testing.assert_allclose(decoded(new["marker"]["size"]),
                                           1.5 * np.asarray(decoded(old["marker"]["size"])))
                grown += 1
            if old.get("line", {}).get("width"):
                assert new["line"]["width"] == pytest.approx(1.5 * old["line"]["width"])
                grown += 1
            elif "lines" in (old.get("mode") or ""):
                # Plotly's default 2 px, made explicit and grown
                assert new["line"]["width"] == pytest.approx(3.0)
        # (a bar chart has neither markers with a size nor lines)
        assert grown or name == "responsibilities", name


def test_the_figure_given_is_left_as_it_was(run2d):
    fig = built_figures(run2d)["mixture"]
    before = pio.to_json(fig, validate=False)
    styled = figures.for_projector(fig)
    assert styled is not fig
    assert pio.to_json(fig, validate=False) == before
    assert fig.layout.font.size == figures.FONT["size"]


def test_low_contrast_colours_are_darkened_in_place_of_hue():
    assert projector.darker_color("#E69F00") == "#c28600"
    assert projector.darker_color("rgba(230,159,0,0.150)") == "rgba(194,134,0,0.150)"
    assert projector.darker_color("rgb(153, 153, 153)") == "rgb(146,146,146)"
    for kept in ("#0072B2", "rgba(0,114,178,0.2)", "black", None, ["#E69F00"]):
        assert projector.darker_color(kept) == kept
    for old, new in projector.DARKER.items():
        assert palette.contrast_ratio(old) < 3 <= palette.contrast_ratio(new)
        h_old, _, _ = colorsys.rgb_to_hsv(*_rgb(old))
        h_new, _, _ = colorsys.rgb_to_hsv(*_rgb(new))
        assert abs(h_old - h_new) * 360 < 3, (old, new)


def _rgb(color):
    return [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]


# ---- contrast: WCAG 2's formula, checked against values published with it -----------------

def test_contrast_ratio_matches_wcag_reference_values():
    assert palette.contrast_ratio("#000000") == pytest.approx(21.0)
    assert palette.contrast_ratio("#ffffff") == pytest.approx(1.0)
    # #767676 is the lightest grey passing AA (4.5 : 1) on white: 4.54 : 1
    assert palette.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)
    assert palette.contrast_ratio("#777777") == pytest.approx(4.48, abs=0.01)
    # symmetric in its two colours
    assert palette.contrast_ratio("#ffffff", "#0072B2") == palette.contrast_ratio("#0072B2")


def test_every_presenter_colour_reaches_3_to_1_on_white():
    ratios = {c: palette.contrast_ratio(c) for c in palette.PRESENTER}
    assert min(ratios.values()) >= 3.0, ratios
    # the normal palette does not (why presenter mode has its own)
    assert min(palette.contrast_ratio(c) for c in palette.OKABE_ITO) < 2.5


# ---- colour blindness: Machado, Oliveira & Fernandes (2009), severity 1 ------------------

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def _linear(color):
    c = np.array([int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(linear_rgb, 0, 1)
    f = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(f > 0.008856, np.cbrt(f), 7.787 * f + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def smallest_difference(colors) -> float:
    """The smallest CIELAB ΔE between two of ``colors`` as any of the three dichromats
    sees them."""
    return min(
        float(np.linalg.norm(_lab(np.array(m) @ _linear(a)) - _lab(np.array(m) @ _linear(b))))
        for m in MACHADO.values() for a, b in itertools.combinations(colors, 2))


def test_presenter_colours_stay_apart_for_colour_blind_viewers():
    # K ≤ 5 (the usual classroom runs): far apart for every dichromat
    # (12: the darkened orange next to purple; identity kept, issue 24, so no reordering)
    assert smallest_difference(palette.PRESENTER[:5]) > 10
    # all ten: apart, where the normal palette's orange and mustard merge for a protanope
    assert smallest_difference(palette.PRESENTER) > 4.5
    assert smallest_difference(palette.OKABE_ITO) < 2


def test_the_presenter_palette_applies_only_inside_its_block():
    assert palette.component_color(1) == palette.OKABE_ITO[1]
    with palette.using(palette.PRESENTER):
        assert [palette.component_color(k) for k in range(12)] == [
            palette.PRESENTER[k % 10] for k in range(12)]
        assert palette.blend(np.array([[0.0, 1.0]])) == [palette.PRESENTER[1].lower()]
    assert palette.component_color(1) == palette.OKABE_ITO[1]
    with pytest.raises(RuntimeError), palette.using(palette.PRESENTER):
        raise RuntimeError
    assert palette.component_color(1) == palette.OKABE_ITO[1]
