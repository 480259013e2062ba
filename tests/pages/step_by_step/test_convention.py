"""Issue 9, items 6 and 7: one iteration convention on the page (metric, phase, the point's
caption and the stop message agree for the same half-step), and float noise is no fall."""

import re

from ..apptest import article_example_state, click, metrics, open_app


def captions(at):
    return " ".join(c.value for c in at.caption)


def test_metric_caption_and_message_agree_on_the_iteration():
    at = open_app(**article_example_state(init="random data points"))
    at.session_state["selected_point"] = 5
    m = click(at, "E-step")
    # The E-step of iteration 1: the first E-step of the run belongs to iteration 1.
    assert (m["Iteration"], m["Phase"]) == ("1", "E-step")
    assert "responsibilities of iteration 1 · E-step" in captions(at)
    click(at, "M-step")
    m = click(at, "E-step")
    assert (m["Iteration"], m["Phase"]) == ("2", "E-step")
    assert "responsibilities of iteration 2 · E-step" in captions(at)
    assert "numbers of the preview of iteration 2 · M-step" in captions(at)
    m = click(at, "Run to convergence")
    engine = at.session_state["run"][0].engine
    fired = next(r for r in engine.history if r.phase == "E" and r.converged)
    # The last record is the M-step of the iteration whose E-step fired the rule.
    assert (m["Iteration"], m["Phase"]) == (str(fired.iteration), "M-step")
    message = " ".join(s.value for s in [*at.success, *at.warning])
    assert f"Iteration {fired.iteration} · E-step: stopped by the rule" in message
    assert f"numbers of iteration {fired.iteration} · M-step" in captions(at)
    at.slider(key="view_index").set_value(fired.index).run()
    m = metrics(at)
    assert (m["Iteration"], m["Phase"]) == (str(fired.iteration), "E-step")
    assert f"responsibilities of iteration {fired.iteration} · E-step" in captions(at)
    at.slider(key="view_index").set_value(0).run()
    assert (metrics(at)["Iteration"], metrics(at)["Phase"]) == ("0", "start")


def test_float_noise_in_the_change_reads_as_rounding_not_a_fall():
    at = open_app(**article_example_state(init="random data points"))
    click(at, "Run to convergence")
    engine = at.session_state["run"][0].engine
    for _ in range(40):
        click(at, "Full iteration")
        changes = [r.change for r in engine.history if r.phase == "E"]
        if 0 < abs(changes[-1]) < 1e-12:
            break
    assert 0 < abs(changes[-1]) < 1e-12  # float noise, e.g. 4.44e-16
    at.slider(key="view_index").set_value(len(engine.history) - 2).run()
    assert metrics(at)["Δ mean log-likelihood"] == "0 (rounding)"
    assert not re.search(r"e-1[2-9]", metrics(at)["Δ mean log-likelihood"])
