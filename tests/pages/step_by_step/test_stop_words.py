"""Issue 9, item 2: the stop message says what happened. The rule |Δ mean log-likelihood| <
tol stops EM; whether that was a maximum or a plateau is told by scikit-learn run from the
same start with a much tighter tol (the oracle)."""

import re

from sklearn.mixture import GaussianMixture as SkGaussianMixture

from gmm_core.datasets import make_overlapping_blobs, make_unequal_sizes

from ..apptest import article_example_state, click, open_app


def stop_message(at):
    texts = [m.value for m in [*at.success, *at.warning] if "stopped by the rule" in m.value]
    assert len(texts) == 1, [m.value for m in [*at.success, *at.warning]]
    return texts[0]


def to_value(text):
    return float(re.search(r"to (−?-?[\d,]+\.\d+)", text).group(1).replace(",", ""))


def test_a_plateau_stop_is_called_a_plateau_not_converged():
    X = make_overlapping_blobs(600, seed=0).X
    at = open_app(**article_example_state(dataset="Overlapping blobs", K=3,
                                          init="random responsibilities"))
    assert at.session_state["data"].X.shape == X.shape
    click(at, "Run to convergence")
    text = stop_message(at)
    # Oracle: scikit-learn from the same start stops early at tol 1e-3 and climbs far on
    # under a tight tol.
    loose = SkGaussianMixture(3, init_params="random", random_state=0, tol=1e-3).fit(X)
    tight = SkGaussianMixture(3, init_params="random", random_state=0, tol=1e-6,
                              max_iter=5000).fit(X)
    assert (tight.score(X) - loose.score(X)) * 600 > 1
    assert "plateau" in text and "converged" not in text and "change nothing" not in text
    assert f"< tol = {1e-3:g}" in text
    assert abs(to_value(text) - tight.score(X) * 600) < 0.5
    assert at.warning and not any("stopped by the rule" in s.value for s in at.success)


def test_the_default_run_stops_near_a_maximum():
    X = make_unequal_sizes(600, seed=1).X
    at = open_app()
    click(at, "Run to convergence")
    text = stop_message(at)
    loose = SkGaussianMixture(3, random_state=0, tol=1e-3).fit(X)
    tight = SkGaussianMixture(3, random_state=0, tol=1e-8, max_iter=5000).fit(X)
    gain = (tight.score(X) - loose.score(X)) * 600
    assert 0 <= gain < 0.6  # the oracle: a tighter rule gains almost nothing
    assert re.search("near a maximum|fixed point", text, re.I) and "plateau" not in text
    assert f"Iteration {loose.n_iter_} · E-step: stopped by the rule" in text


def test_later_iterations_are_described_by_what_they_did():
    X = make_overlapping_blobs(600, seed=0).X
    at = open_app(**article_example_state(dataset="Overlapping blobs", K=3,
                                          init="random responsibilities"))
    click(at, "Run to convergence")
    before = at.session_state["run"][0].engine.log_likelihood
    for _ in range(3):
        click(at, "Full iteration")
    after = at.session_state["run"][0].engine.log_likelihood
    text = stop_message(at)
    assert after - before > 0.01  # on the plateau EM still climbs
    assert "change nothing" not in text and "0 (rounding)" not in text
    assert re.search(r"The 3 iteration\(s\) after it change the log-likelihood by \+", text)
    assert X.shape[0] == 600
