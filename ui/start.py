"""How a run starts: the one ``Start`` type (the sidebar's "Initialisation", each
Initializations run's start, a link's ``init``, ``Settings.init``).

A ``Start`` is a ``StrEnum`` whose value is its label on screen, so a widget and the session
hold the label and ``Start(label)`` reads it back.
"""

from __future__ import annotations

from enum import StrEnum


class Start(StrEnum):
    KMEANS = "k-means"
    KMEANS_PP = "k-means++"
    RANDOM = "random responsibilities"
    DATAPOINTS = "random data points"
    CLICK = "place means by clicking"
    FILE = "parameters from a file (.json)"

    @property
    def engine_init(self) -> str | None:
        """The engine's ``init`` name; None for a start the app hands over itself (means
        placed by clicking, parameters from a file)."""
        return _ENGINE_INIT.get(self)

    @property
    def seeded(self) -> bool:
        """Whether a seed chooses the start (the engine draws it)."""
        return self.engine_init is not None

    @property
    def token(self) -> str | None:
        """Its name in a link; None for a start no link can carry (a file)."""
        return _TOKENS.get(self)

    @classmethod
    def of(cls, value) -> Start:
        """The start for a label, an engine ``init`` name or a link token."""
        if isinstance(value, cls):
            return value
        for start in cls:
            if value in (start.value, start.engine_init, start.token):
                return start
        raise ValueError(f"Unknown start {value!r}: one of {', '.join(cls)}.")


_ENGINE_INIT = {Start.KMEANS: "kmeans", Start.KMEANS_PP: "k-means++", Start.RANDOM: "random",
                Start.DATAPOINTS: "random_from_data"}
_TOKENS = {Start.KMEANS: "kmeans", Start.KMEANS_PP: "kmeanspp", Start.RANDOM: "random",
           Start.DATAPOINTS: "datapoints", Start.CLICK: "click"}
#: The starts a seed chooses, in menu order (the Initializations page's restarts study).
SEEDED = tuple(s for s in Start if s.seeded)
