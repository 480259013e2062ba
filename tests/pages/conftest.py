"""Fixtures for the AppTest tests of every page."""

import pytest

from ui import playback

from .apptest import Clock


@pytest.fixture()
def clock(monkeypatch):
    """Play's clock, frozen: nothing but ``clock.advance`` brings a tick."""
    frozen = Clock()
    monkeypatch.setattr(playback, "_clock", frozen)
    return frozen


@pytest.fixture()
def ticking(monkeypatch):
    """A clock that moves 10 s per reading, so every AppTest run is a due Play tick."""
    monkeypatch.setattr(playback, "_clock", Clock(per_reading=10.0))
