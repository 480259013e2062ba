"""A long session on the Step by step page stays bounded: at the cap of 1000 iterations the
buttons refuse in plain words, the history stops growing, and the whole session state
(pickled, as Streamlit would have to hold it) stays under a bound computed from the data
size, K and the number of records one run may keep."""

from __future__ import annotations

import pickle

from app_pages.step_by_step import keys

from ..apptest import button, metrics, open_app


def record_bound(k: int, d: int) -> int:
    """Bytes of one history record: its numbers (π, N_z: K each; μ: K·d; Σ and its
    precision factor: K·d² each) and a generous kilobyte for its fields and array headers."""
    return 8 * k * (2 + d + 2 * d * d) + 1024


def session_bytes(at) -> int:
    values = at.session_state.to_dict().values()
    return sum(len(pickle.dumps(value, protocol=5)) for value in values)


def test_a_session_at_the_cap_refuses_and_stays_bounded():
    at = open_app()
    engine = at.session_state[keys.RUN][0].engine
    n, d = engine.X.shape
    k = engine.n_components
    for _ in range(999):  # the first 999 iterations directly: 1000 clicks would take minutes
        engine.step()
    button(at, "Full iteration").click().run()
    assert metrics(at)["Iteration"] == "1000" and not at.error
    at_cap = session_bytes(at)
    for label in ("Full iteration", "E-step", "Full iteration"):
        button(at, label).click().run()
        assert not at.exception
        assert metrics(at)["Iteration"] == "1000"
        [error] = at.error
        assert "reached 1000 iterations" in error.value and "Reset" in error.value
    assert len(engine.history) == 1 + 2 * 1000
    # The data (X in the Dataset and the engine), γ (in force, 4 cached, 1 preview),
    # every record, and 256 kB for widgets, keys and small caches.
    bound = 8 * (3 * n * d + 6 * n * k) + (1 + 2 * 1000) * record_bound(k, d) + 256 * 1024
    assert session_bytes(at) <= bound
    assert session_bytes(at) <= at_cap + 16 * 1024  # refused clicks add nothing
    button(at, "Reset").click().run()
    assert metrics(at)["Iteration"] == "0" and not at.error
    button(at, "Full iteration").click().run()
    assert metrics(at)["Iteration"] == "1"
