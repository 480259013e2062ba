"""Issue 9, item 4: after an E-step the parameter panel no longer mixes the new N_z with the
old π_z: it shows the parameters in force and, apart and labelled, what the coming M-step will
make of this γ, checked against the textbook M-step (gmm_core.reference) on the textbook
E-step's responsibilities."""

import numpy as np

from gmm_core import reference

from ..apptest import click, open_app


def table(at, i):
    return at.table[i].value


def numbers(cell):
    return np.array([float(v) for v in str(cell).replace("|", ",").split(",")])


def test_after_an_e_step_the_preview_is_the_coming_m_step():
    at = open_app()  # Unequal cluster sizes, K = 3, k-means start
    click(at, "Full iteration")
    click(at, "E-step")
    engine = at.session_state["run"][0].engine
    X = at.session_state["data"].X
    current = engine.history[-1].params
    gamma, _ = reference.e_step(X, current.weights, current.means, current.covariances,
                                "full")
    weights, means, covs = reference.m_step(X, gamma, "full", reg_covar=1e-6)
    nk = gamma.sum(axis=0)
    markdown = " ".join(m.value for m in at.markdown)
    assert "Parameters in force" in markdown and "Preview: what the coming M-step" in markdown
    tables = [t.value for t in at.table if "π_z" in t.value.columns]
    in_force, preview = tables[-2], tables[-1]
    # The parameters in force: the old π, and no N_z beside them to contradict them.
    assert "N_z" not in in_force.columns
    assert np.allclose([float(v) for v in in_force["π_z"]], current.weights, atol=1e-4)
    # The preview: N_z, π_z = N_z / N, μ_z, Σ_z of the coming M-step.
    assert np.allclose([float(v) for v in preview["N_z"]], nk, atol=0.01)
    assert np.allclose([float(v) for v in preview["π_z"]], weights, atol=1e-4)
    for z in range(3):
        assert np.allclose(numbers(preview["μ_z"].iloc[z]), means[z], rtol=1e-3)
        assert np.allclose(numbers(preview["Σ_z"].iloc[z]), covs[z].ravel(), rtol=1e-3)
    # π_z = N_z / N holds in the preview's own numbers.
    assert np.allclose([float(v) for v in preview["N_z"]],
                       600 * np.array([float(v) for v in preview["π_z"]]), atol=0.1)
    # The step then does what the preview said, and the run was not moved by the preview.
    assert len(engine.history) == 4
    click(at, "M-step")
    assert np.allclose(engine.history[-1].params.weights, weights, atol=1e-10)
