"""Component colours: the Okabe-Ito colour-blind-safe palette, used on every chart and page.

One change: Okabe-Ito's yellow #F0E442 reaches a contrast of 1.3 : 1 on white (WCAG relative
luminance) and its markers and lines were hard to see; its darker mustard #B8A500 reaches
2.5 : 1, no less than the palette's orange and sky blue. ``.streamlit/config.toml``'s
chartCategoricalColors lists the same colours.
"""

from __future__ import annotations

import contextlib
import contextvars

import numpy as np

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#B8A500",  # yellow, darkened (see above)
    "#000000",  # black
    "#999999",  # grey
    "#882255",  # wine (Tol), for a tenth component
)

#: Presenter mode's palette (ui/presenter.py): the same colour for the same component as
#: OKABE_ITO (a component keeps its identity on laptops and on the projector; only the
#: lightness changes), each at least 3 : 1 on white (WCAG contrast, ``contrast_ratio``) for a
#: washed-out projector: the orange, sky blue and grey darkened just past 3 : 1 (as
#: ui/figures/projector.DARKER does for any chart), the vermillion and the mustard darkened
#: further so that they stay apart from the darkened orange for colour-blind viewers.
#: tests/ui/test_presenter.py checks the hues, the contrasts and the separation under
#: simulated colour blindness.
PRESENTER = (
    "#0072B2",  # blue
    "#C28600",  # orange, darkened
    "#009E73",  # bluish green
    "#A84A00",  # vermillion, darkened (apart from the darkened orange)
    "#CC79A7",  # reddish purple
    "#499AC8",  # sky blue, darkened
    "#8F8000",  # mustard, darkened (apart from the darkened orange)
    "#000000",  # black
    "#929292",  # grey, darkened
    "#882255",  # wine (Tol)
)

NEUTRAL = "#8c8c8c"  # points before any E-step

# The palette that ``component_color`` reads: a context variable, so one session's presenter
# mode never colours another session's charts (each script run has its own thread).
_ACTIVE = contextvars.ContextVar("palette", default=OKABE_ITO)


@contextlib.contextmanager
def using(colors):
    """Within the block, ``component_color`` (and so every figure builder) uses ``colors``."""
    token = _ACTIVE.set(tuple(colors))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def component_color(k: int) -> str:
    colors = _ACTIVE.get()
    return colors[k % len(colors)]


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb' (0 black … 1 white)."""
    channels = np.array([int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(channels <= 0.04045, channels / 12.92,
                      ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(color: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two '#rrggbb' colours (1 … 21)."""
    a, b = sorted((relative_luminance(color), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def rgb_array(n_components: int) -> np.ndarray:
    """(K, 3) array of the component colours in 0..255."""
    return np.array(
        [[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in map(component_color,
                                                                 range(n_components))],
        dtype=float,
    )


def rgba(color: str, alpha: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:.3f})"


def blend(responsibilities: np.ndarray) -> list[str]:
    """Each point's colour: the γ-weighted mix of its components' colours, as '#rrggbb'."""
    mixed = np.clip(np.rint(responsibilities @ rgb_array(responsibilities.shape[1])), 0, 255)
    packed = mixed.astype(np.int64) @ np.array([65536, 256, 1])
    # Plotly needs one colour string per point for a blend; short hex keeps the payload small.
    return [f"#{v:06x}" for v in packed.tolist()]


def darken(color: str, amount: float = 0.45) -> str:
    """The colour mixed with black: outlines that stay visible over dense same-colour points."""
    r, g, b = (int(int(color[i : i + 2], 16) * (1 - amount)) for i in (1, 3, 5))
    return f"#{r:02x}{g:02x}{b:02x}"
