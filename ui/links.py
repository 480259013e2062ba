"""The URL codec: a run's settings as short query parameters, and back (no Streamlit calls).
The shared settings' parameters are made from their rows in ``ui.settings``.

``encode`` writes the settings kept in the session as text parameters; ``parse`` reads a
link's parameters into safe values plus plain notices naming what was ignored and the
value used instead. Each parameter is a ``Field``: its URL name, the session key it fills,
how its text is read and written. Pages add their own fields (``PageFields``); the
Streamlit side (reading on load, writing back, "Copy link") is ``ui.link_state``.

Parameters that are not ours are never reported nor dropped: ``present`` (presenter mode)
and ``stop`` (the Lesson's stop), ``join`` and ``class`` (the Class page's codes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import data as data_mod
from . import link_moves, session
from . import settings as table
from .settings import Setting
from .start import Start

#: Parameters owned by other parts of the app: kept as they are, never reported.
RESERVED = frozenset({"present", "stop", "join", "class"})
#: A tampered value is quoted in a notice up to this many characters.
QUOTE = 24


def quote(text: str) -> str:
    text = str(text)
    return repr(text if len(text) <= QUOTE else text[:QUOTE] + "…")


def slug(name: str) -> str:
    """"Article example (2 Gaussians)" → "article-example-2-gaussians"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# ------------------------------------------------------------------------------------------
# Fields


@dataclass(frozen=True)
class Field:
    """One query parameter: ``name`` in the URL, ``key`` in the session.

    ``read(text)`` returns the value or raises ValueError with the rule the text broke
    ("K must be a whole number from 1 to 10"); ``write(value)`` is the text for the URL;
    ``applies(values)`` (values read so far) says if the field matters for these settings.
    ``later``: the value needs the page's runs (a run's half-steps, a study to show): it
    waits in ``ui.link_state.PENDING`` until the page takes it (``take_pending``).
    """

    name: str
    key: str
    read: Callable[[str], object]
    write: Callable[[object], str] = str
    applies: Callable[[dict], bool] = lambda values: True
    later: bool = False


def int_field(name, key, lo, hi, step=1, **kw) -> Field:
    rule = (f"{name} must be a whole number from {lo:,} to {hi:,}"
            + (f" in steps of {step}" if step > 1 else ""))

    def read(text):
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(rule) from None
        if not lo <= value <= hi or (value - lo) % step:
            raise ValueError(rule)
        return value

    return Field(name, key, read, str, **kw)


def choice_field(name, key, tokens: dict, **kw) -> Field:
    """A choice among ``tokens`` (URL text → value); any letter case is read."""
    by_text = {t.lower(): v for t, v in tokens.items()}
    by_value = {v: t for t, v in tokens.items()}
    rule = f"{name} must be one of {', '.join(tokens)}"

    def read(text):
        try:
            return by_text[text.strip().lower()]
        except KeyError:
            raise ValueError(rule) from None

    return Field(name, key, read, lambda v: by_value[v], **kw)


def float_choice_field(name, key, options: Sequence[float], **kw) -> Field:
    """A float among ``options`` ("1e-6", "0.000001" both read as 1e-6)."""
    rule = f"{name} must be one of {', '.join(float_text(o) for o in options)}"

    def read(text):
        try:
            value = float(text.strip())
        except ValueError:
            raise ValueError(rule) from None
        for option in options:
            if value == option or math.isclose(value, option, rel_tol=1e-9):
                return option
        raise ValueError(rule)

    return Field(name, key, read, float_text, **kw)


def bool_field(name, key, **kw) -> Field:
    return choice_field(name, key, {"1": True, "0": False}, **kw)


def float_text(value: float) -> str:
    """1e-06 → "1e-6", 0.0 → "0", 0.5 → "0.5" (short and exact for the options used)."""
    if value == 0:
        return "0"
    exponent = math.log10(abs(value))
    if exponent == int(exponent):
        return f"1e{int(exponent)}" if value > 0 else f"-1e{int(exponent)}"
    return repr(float(value))


def columns_field(name, key, options: Sequence[str], dataset: str) -> Field:
    """Two columns of ``dataset`` (its only field with this name that applies)."""
    rule = f"{name} must be two different columns of {dataset}: {', '.join(options)}"

    def read(text):
        cols = [c.strip() for c in text.split(",")]
        if len(cols) != 2 or cols[0] == cols[1] or any(c not in options for c in cols):
            raise ValueError(rule)
        return cols

    return Field(name, key, read, ",".join,
                 applies=lambda values: values.get(session.DATASET) == dataset)


def rows_field(name, key, **kw) -> Field:
    """Row indices of the data, comma separated (placed means are data points)."""
    rule = f"{name} must be row numbers of the data, separated by commas"

    def read(text):
        try:
            rows = tuple(int(t) for t in text.split(","))
        except ValueError:
            raise ValueError(rule) from None
        if any(r < 0 for r in rows):
            raise ValueError(rule)
        return rows

    return Field(name, key, read, lambda rows: ",".join(str(r) for r in rows), **kw)


# ------------------------------------------------------------------------------------------
# The shared settings (the sidebar) and the Step by step page's run and half-step

def setting_field(setting: Setting) -> Field:
    """A setting's parameter, read and written as its row in ``ui.settings`` says."""
    kw = {"applies": setting.applies} if setting.applies is not None else {}
    kind = setting.widget
    if kind in ("slider", "number"):
        return int_field(setting.url, setting.key, setting.lo, setting.hi, setting.grid, **kw)
    if kind == "select":
        tokens = setting.tokens or {slug(o): o for o in setting.options}
        return choice_field(setting.url, setting.key, tokens, **kw)
    if kind == "select_slider":
        return float_choice_field(setting.url, setting.key, setting.options, **kw)
    if kind == "checkbox":
        return bool_field(setting.url, setting.key, **kw)
    if kind == "columns":
        return columns_field(setting.url, setting.key, setting.options, setting.dataset)
    raise ValueError(f"Unknown widget {kind!r} for {setting.key}.")


def _fields(settings) -> tuple[Field, ...]:
    return tuple(setting_field(s) for s in settings if s.url is not None)


#: Starts a link can carry, by URL token. (Not a start from a file: it cannot travel.)
INITS = dict(table.INIT.tokens)


def _click(values):
    return values.get(session.INIT) == Start.CLICK


DATA_FIELDS = _fields(table.DATA)
MODEL_FIELDS = _fields(table.MODEL)
START_FIELDS = _fields(table.START)
#: The Step by step page's placed means (row numbers), half-step shown and half-steps run.
MEANS = "means"
AT = "at"
RAN = "ran"
#: Records set by hand (issue 22), ``ui.link_moves``.
MOVES = "moves"
STEP_FIELDS = (
    rows_field(MEANS, MEANS, applies=_click),
    Field(MOVES, MOVES, link_moves.decode, str),
    # Bounded by the run itself when the link is applied (``ui.link_state``).
    int_field(AT, AT, 0, 10**9),
    int_field(RAN, RAN, 0, 10**9),
)


@dataclass(frozen=True)
class PageFields:
    """What a page's link carries: the sidebar's fields (``sidebar``: "none", "data and
    model" or "all", i.e. with the start and its seed) and the page's own ``fields``."""

    sidebar: str = "all"
    fields: tuple[Field, ...] = ()

    def all_fields(self) -> tuple[Field, ...]:
        shared = {"none": (), "data and model": DATA_FIELDS + MODEL_FIELDS,
                  "all": DATA_FIELDS + MODEL_FIELDS + START_FIELDS}[self.sidebar]
        return shared + tuple(self.fields)


@dataclass
class Link:
    """A link read: ``values`` by session key (only what the link set, and valid),
    ``notices`` in plain words, ``upload``: the link was made on uploaded data."""

    values: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    upload: bool = False


def parse(params: dict[str, str], current: dict, page: PageFields,
          known: Sequence[str] = ()) -> Link:
    """Read a link's ``params`` (name → text) for ``page``.

    ``current``: the values in use by session key (the safe values a bad parameter leaves
    in place); ``known``: names other pages use (ignored here without a notice: a link
    followed from another page may still carry them).
    """
    link = Link()
    fields = page.all_fields()
    names = {f.name for f in fields}
    for name in params:
        if name not in names and name not in RESERVED and name not in known:
            link.notices.append(f"This link's parameter {quote(name)} is unknown here and was "
                                "ignored.")
    resolved = dict(current)  # the values in force as the fields are read, in order
    for f in fields:
        if f.name not in params or not f.applies(resolved):
            continue
        text = params[f.name]
        if f.key == session.DATASET and text.strip().lower() == slug(data_mod.UPLOAD):
            link.upload = True
        try:
            value = f.read(text)
        except ValueError as exc:
            shown = (f"{f.name} = {_written(f, resolved[f.key])}" if f.key in resolved
                     else "the page's own value")
            link.notices.append(f"This link asked for {f.name} = {quote(text)}, but {exc}; "
                                f"using {shown}.")
            continue
        link.values[f.key] = resolved[f.key] = value
    for name in ("n", "dseed", "cols"):
        if name in params and not any(f.name == name and f.applies(resolved) for f in fields):
            if name in names:
                link.notices.append(f"This link's {name} = {quote(params[name])} does not "
                                    f"apply to {resolved.get(session.DATASET)} and was ignored.")
    if MEANS in link.values:
        rows = link.values[MEANS]
        k = resolved.get(session.K)
        if len(rows) != k:
            del link.values[MEANS]
            link.notices.append(f"This link places {len(rows)} mean(s) but K = {k}; they "
                                f"were ignored: click {k} data points to place the means.")
    if AT in link.values and RAN in link.values and link.values[RAN] < link.values[AT]:
        link.notices.append(f"This link ran {link.values[RAN]} half-steps but shows "
                            f"half-step {link.values[AT]}; running to {link.values[AT]}.")
        link.values[RAN] = link.values[AT]
    return link


def _written(f: Field, value) -> str:
    """The text for ``value``; for a value no link can carry (a start from a file), its
    slug, which the link's reader reports as not one of the choices."""
    try:
        return f.write(value)
    except (KeyError, TypeError, ValueError):
        return slug(str(value))[:QUOTE]


def encode(values: dict, page: PageFields) -> dict[str, str]:
    """The link's parameters for ``values`` (by session key): every field that applies and
    has a value, in the page's field order."""
    out = {}
    for f in page.all_fields():
        if f.key in values and values[f.key] is not None and f.applies(values):
            out[f.name] = _written(f, values[f.key])
    return out
