"""Which store: ``open_store(url)``, the URL from ``--store`` or ``$EM_CLASS_STORE``."""

from __future__ import annotations

import os
from pathlib import Path

from .store import ClassStore, StoreUnavailable

#: The store's URL: ``redis://host:port/db`` or ``sqlite:///path`` (or a plain file path).
STORE_ENV = "EM_CLASS_STORE"
#: Where the default SQLite file lives (a folder); the file is ``classes.sqlite3`` in it.
DATA_ENV = "EM_PLAYGROUND_DATA"
DEFAULT_SQLITE = Path(__file__).resolve().parents[1] / "var" / "classes.sqlite3"


def store_url(url: str | None = None) -> str:
    """The URL to use: ``url``, else ``$EM_CLASS_STORE``, else the default SQLite file."""
    url = url or os.environ.get(STORE_ENV, "").strip()
    if url:
        return url
    folder = os.environ.get(DATA_ENV, "").strip()
    path = Path(folder) / "classes.sqlite3" if folder else DEFAULT_SQLITE
    return f"sqlite:///{path}"  # an absolute path: four slashes


def open_store(url: str | None = None, **kwargs) -> ClassStore:
    """A store for ``url`` (see :func:`store_url`); ``StoreUnavailable`` if it cannot open."""
    url = store_url(url)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis_store import RedisStore  # the redis client only when asked for

        return RedisStore(url, **kwargs)
    if url.startswith("sqlite:"):
        # SQLAlchemy's convention: sqlite:///relative/path, sqlite:////absolute/path
        path = url.removeprefix("sqlite:").removeprefix("///")
    elif "://" in url:
        raise StoreUnavailable(f"Unknown class store {url!r}: use redis://host:port/db or "
                               "sqlite:///path/to/classes.sqlite3.")
    else:
        path = url
    from .sqlite_store import SQLiteStore

    return SQLiteStore(path, **kwargs)
