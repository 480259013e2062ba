"""Stop 3, the latent variable, animated: frames driven by an injected clock (no waiting),
the words of each frame against an independent draw with NumPy, the end without colours."""

from __future__ import annotations

import numpy as np
import pytest

from app_pages.lesson import keys, latent
from lab_maths.lesson import TRUE_MIXTURE

from ..apptest import Clock, button
from .test_walk import at_stop, click


def oracle_draws():
    """The stop's 1000 draws the textbook way: z = rng.choice(2, p=π), then rng.normal."""
    rng = np.random.default_rng(latent.SEED)
    probe = np.random.default_rng(latent.SEED).random(latent.N_POINTS)  # the u's behind z
    z = rng.choice(2, size=latent.N_POINTS, p=np.asarray(TRUE_MIXTURE.weights))
    x = rng.normal(np.asarray(TRUE_MIXTURE.means)[z], np.sqrt(TRUE_MIXTURE.variances)[z])
    return probe, z, x


def words(at) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.fixture()
def ticking(monkeypatch):
    """Every run reads a clock 10 s later: each run the timer could bring is a tick."""
    monkeypatch.setattr(latent, "_clock", Clock(per_reading=10.0))


@pytest.fixture()
def frozen(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(latent, "_clock", clock)
    return clock


def test_frames_draw_z_then_x_for_the_first_points_then_fill_then_hide():
    frames = latent.FRAMES
    assert frames[0].n == 0 and frames[-1] == latent.Frame(latent.N_POINTS, coloured=False)
    for j in range(latent.FEATURED):
        assert frames[1 + 2 * j] == latent.Frame(j, z_only=j)  # z of point j+1 first
        assert frames[2 + 2 * j] == latent.Frame(j + 1)  # then its x
    counts = [f.n for f in frames]
    assert counts == sorted(counts) and counts[-2] == latent.N_POINTS
    assert all(f.coloured for f in frames[:-1])


def test_play_runs_every_frame_once_then_stops_without_colours(ticking):
    at = at_stop(3)
    u, z, x = oracle_draws()
    click(at, "Play")  # the first run after Play is a tick
    seen = [at.session_state[keys.L_STEP]]
    while at.session_state[keys.L_PLAYING]:
        at.run()
        assert not at.exception
        seen.append(at.session_state[keys.L_STEP])
        if seen[-1] == 1:  # point 1's z
            side = "<" if u[0] < 0.6 else "≥"
            assert (f"Point 1, draw z:** u = {u[0]:.3f} {side} π₁ = 0.6, so **z = {z[0] + 1}**"
                    in words(at))
        if seen[-1] == 2:  # point 1's x
            assert f"**x = {x[0]:.2f}**" in words(at)
    assert seen == list(range(1, latent.LAST + 1))
    assert at.session_state[keys.L_HIDE] is True
    assert [i for i in at.info if "This is what EM sees" in i.value]
    share = f"{np.mean(z == 0):.2f}"
    assert f"**1000 points.** Shares so far: z = 1: {share}" in words(at)
    assert button(at, "Play").label == "Play"  # stopped: Play again starts over


def test_a_rerun_that_the_timer_did_not_bring_moves_nothing(frozen):
    at = at_stop(3)
    click(at, "Play")
    assert at.session_state[keys.L_STEP] == 1
    at.run()  # no time has passed: not a tick
    assert at.session_state[keys.L_STEP] == 1
    frozen.advance(latent.INTERVAL)
    at.run()
    assert at.session_state[keys.L_STEP] == 2
    click(at, "Pause")
    frozen.advance(10 * latent.INTERVAL)
    at.run()
    assert at.session_state[keys.L_STEP] == 2 and not at.session_state[keys.L_PLAYING]


def test_step_and_restart_by_hand_and_the_colours_toggle():
    at = at_stop(3)
    _, z, x = oracle_draws()
    for _ in range(2 * latent.FEATURED):
        click(at, "Step")
    assert at.session_state[keys.L_STEP] == 2 * latent.FEATURED
    assert f"Point {latent.FEATURED}, draw x" in words(at)
    assert f"**x = {x[latent.FEATURED - 1]:.2f}**" in words(at)
    assert not [i for i in at.info if "what EM sees" in i.value]
    at.toggle[0].set_value(True).run()
    assert [i for i in at.info if "This is what EM sees" in i.value]
    click(at, "Restart")
    assert at.session_state[keys.L_STEP] == 0 and at.toggle[0].value is False
    assert at.toggle[0].disabled  # nothing drawn: nothing to hide


def test_leaving_the_stop_pauses_the_animation(frozen):
    at = at_stop(3)
    click(at, "Play")
    assert at.session_state[keys.L_PLAYING]
    click(at, "Next →")
    click(at, "← Back")
    assert not at.session_state[keys.L_PLAYING]
    step = at.session_state[keys.L_STEP]
    frozen.advance(10 * latent.INTERVAL)
    at.run()
    assert at.session_state[keys.L_STEP] == step
    assert button(at, "Play").label == "Play"
