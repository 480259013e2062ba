"""The one bounded per-session cache: a page's expensive results (restarts studies, model
grids, stop checks) kept in ``st.session_state`` under one key, at most ``max_entries`` of
them, the least recently used dropped first. Per session, so a user's results are never
another's (``st.cache_data`` serves pure data work shared by all)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import streamlit as st


@dataclass(frozen=True)
class SessionCache:
    """Results under the session key ``key``, ``max_entries`` at most."""

    key: str
    max_entries: int

    def entries(self) -> OrderedDict:
        """The cached results by their keys, oldest use first."""
        return st.session_state.setdefault(self.key, OrderedDict())

    def get(self, key: Hashable, compute: Callable[[], Any]):
        """The result for ``key``: the cached one, else ``compute()`` kept for next time."""
        cache = self.entries()
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        value = compute()
        cache[key] = value
        while len(cache) > self.max_entries:
            cache.popitem(last=False)
        return value
