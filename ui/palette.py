"""Component colours: the Okabe-Ito colour-blind-safe palette, used on every chart and page.

One change: Okabe-Ito's yellow #F0E442 reaches a contrast of 1.3 : 1 on white (WCAG relative
luminance) and its markers and lines were hard to see; its darker mustard #B8A500 reaches
2.5 : 1, no less than the palette's orange and sky blue. ``.streamlit/config.toml``'s
chartCategoricalColors lists the same colours.
"""

from __future__ import annotations

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

NEUTRAL = "#8c8c8c"  # points before any E-step


def component_color(k: int) -> str:
    return OKABE_ITO[k % len(OKABE_ITO)]


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
