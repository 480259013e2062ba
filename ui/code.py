"""The scikit-learn code that reproduces the app's data and EM run, ready to paste into a
notebook (pure: no Streamlit).

``DataSpec`` says where the data come from (a menu dataset with its size and seed, a bundled
table with its columns, or an upload); ``sklearn_code(spec, settings)`` writes the code. The
article's example is written as the article's own NumPy recipe, so the code runs without this
package; the other synthetic sets and the bundled tables call ``gmm_core.datasets``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gmm_core import datasets

_BUNDLED = {"Old Faithful": "load_faithful()", "Iris": "load_iris_features({cols})",
            "Penguins": "load_penguins({cols})"}


@dataclass(frozen=True)
class DataSpec:
    """Where the data come from: ``name`` (a menu name, or "upload"), ``n`` and ``seed`` for
    a synthetic set, ``columns`` for a table (empty: the default columns), ``standardize``
    for an upload."""

    name: str
    n: int = 600
    seed: int = 0
    columns: tuple[str, ...] = ()
    standardize: bool = False
    weight_column: str = ""

    @classmethod
    def from_key(cls, key) -> DataSpec:
        """From the session's data key: (name, n, seed), (name,), (name, columns) or
        ("upload", digest, columns[, ("weight", column)][, "standardised"])."""
        key = tuple(key)
        if key[0] == "upload":
            rest = key[3:]
            weight = next((r[1] for r in rest if isinstance(r, tuple) and r[:1] == ("weight",)),
                          "")
            standardize = any(r is True or r == "standardised" for r in rest)
            return cls("upload", columns=tuple(key[2]), standardize=standardize,
                       weight_column=weight)
        if len(key) == 3:
            return cls(key[0], n=int(key[1]), seed=int(key[2]))
        return cls(key[0], columns=tuple(key[1]) if len(key) > 1 else ())


ARTICLE_RECIPE = """\
# The article's X_train: two Gaussians drawn with NumPy's legacy global generator.
np.random.seed({seed})
shifted = np.random.randn({half}, 2) - np.array([20, 20])
stretched = np.dot(np.random.randn({rest}, 2), np.array([[0.0, -0.1], [1.7, 0.4]]))
X = np.vstack([shifted, stretched])
np.random.shuffle(X)
"""


def data_code(spec: DataSpec) -> str:
    """Code that makes ``X`` (n, d) as the app has it."""
    maker = datasets.SYNTHETIC.get(spec.name)
    if maker is datasets.make_article_example:
        return ARTICLE_RECIPE.format(seed=spec.seed, half=spec.n // 2, rest=spec.n - spec.n // 2)
    if maker is not None:
        return (f"from gmm_core.datasets import {maker.__name__}  # this app's package\n"
                f"X = {maker.__name__}(n={spec.n}, seed={spec.seed}).X  # {spec.name}\n")
    if spec.name in _BUNDLED:
        call = _BUNDLED[spec.name].format(cols=repr(spec.columns) if spec.columns else "")
        function = call.split("(")[0]
        return (f"from gmm_core.datasets import {function}  # this app's package\n"
                f"X = {call}.X  # {spec.name}\n")
    lines = ["import pandas as pd", "",
             "# Your uploaded CSV: put its path here (rows with missing values dropped)."]
    if spec.weight_column:
        used = [*spec.columns, spec.weight_column]
        lines += [f"table = pd.read_csv('your_file.csv')[{used!r}].dropna()",
                  f"w = table.pop({spec.weight_column!r}).to_numpy()  # each row's weight",
                  "X = table.to_numpy()"]
    else:
        lines.append(
            f"X = pd.read_csv('your_file.csv')[{list(spec.columns)!r}].dropna().to_numpy()")
    if spec.standardize:
        lines.append("X = (X - X.mean(axis=0)) / X.std(axis=0)  # standardised, as in the app")
    return "\n".join(lines) + "\n"


def _array(values) -> str:
    return np.array2string(np.asarray(values), precision=17, separator=", ",
                           max_line_width=88, threshold=10**6)


def start_code(start) -> str:
    """weights_init, means_init and precisions_init of a start (the means placed by clicks)."""
    precisions = start.kind.precisions_from_covariances(np.asarray(start.covariances))
    return (f"    weights_init=np.array({_array(start.weights)}),\n"
            f"    means_init=np.array({_array(start.means)}),\n"
            f"    precisions_init=np.array({_array(precisions)}),\n")


def sklearn_code(spec: DataSpec, settings, start=None, frozen=None) -> str:
    """The code that reproduces the data of ``spec`` and the run of ``settings`` (a
    ``ui.session.Settings``) with scikit-learn's ``GaussianMixture``; ``start`` (the run's
    starting MixtureParameters) is needed only for a start by clicked means. With a weight
    column or ``frozen`` (a dict, e.g. pinned means) the code uses gmm_core's
    GaussianMixture: scikit-learn's has neither sample_weight nor frozen parameters."""
    head = "import numpy as np\nfrom sklearn.mixture import GaussianMixture\n\n"
    fit, score, total = "fit(X)", "score(X)", "len(X)"
    if spec.weight_column or frozen:  # not in scikit-learn (#15647, #4429)
        head = ("import numpy as np\n"
                "# gmm_core: scikit-learn's GaussianMixture API plus sample_weight and frozen\n"
                "from gmm_core import GaussianMixture\n\n")
    if spec.weight_column:
        fit, score, total = "fit(X, sample_weight=w)", "score(X, sample_weight=w)", "w.sum()"
    if settings.init.seeded:  # the engine's init names are scikit-learn's init_params
        init = f"    init_params={settings.init.engine_init!r},\n"
    elif start is not None:
        init = ("    # the start the app began from (means you placed by clicking, or a "
                 "parameters file)\n")
        init += start_code(start)
    else:
        raise ValueError(f"No scikit-learn start for init {settings.init!r}.")
    if frozen:
        init += f"    frozen={frozen!r},  # kept at the start while EM fits the rest\n"
    model = (
        "gm = GaussianMixture(\n"
        f"    n_components={settings.n_components},\n"
        f"    covariance_type={settings.covariance_type!r},\n"
        f"{init}"
        f"    random_state={settings.seed},\n"
        f"    reg_covar={settings.reg_covar!r},\n"
        f"    tol={settings.tol!r},\n"
        f"    max_iter={settings.max_iter},  # set it to t to stop after t iterations\n"
        f").{fit}\n"
        f"print(gm.n_iter_, gm.converged_, gm.{score} * {total})"
        "  # iterations, total log-likelihood\n"
        "print(gm.weights_, gm.means_, gm.covariances_, sep='\\n')\n"
    )
    return head + data_code(spec) + "\n" + model
