"""The page's URL fragment (``#owner=…``), read and written by a tiny component.

Streamlit gives the server the query string but never the fragment (browsers do not send
it), so a zero-height components-v1 iframe (same origin as the app) reads
``window.parent.location.hash`` and returns it; given ``write``, it first puts that fragment
in the address bar with ``history.replaceState`` (no reload). The owner token lives there
and in the lecturer's session, never in a query string: it reaches no server log, no proxy
and no Referer header, and the student link is built without it.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit.components.v1 as components

_component = components.declare_component(
    "url_hash", path=str(Path(__file__).resolve().parent / "url_hash_frontend"))

_OWNER = re.compile(r"(?:^#|&)owner=([A-Za-z0-9_-]{16,128})(?:&|$)")


def url_hash(key: str, write: str | None = None) -> str | None:
    """The fragment (``"#…"``, ``""`` if none), or None until the browser has told us."""
    value = _component(write=write, key=key, default=None)
    return value.get("hash") if isinstance(value, dict) else None


def owner_from_hash(fragment) -> str | None:
    """The owner token in a fragment such as ``#owner=abc…``, or None."""
    found = _OWNER.search(fragment or "") if isinstance(fragment, str) else None
    return found.group(1) if found else None
