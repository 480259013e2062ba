"""Bad input raises ValueError naming the problem and the fix, for EMEngine and GaussianMixture."""

import numpy as np
import pytest

from gmm_core import EMEngine, GaussianMixture

X = np.random.default_rng(0).normal(size=(20, 2))


def engine(data=X, k=2, **kwargs):
    return EMEngine(data, k, random_state=0, **kwargs)


def estimator(data=X, k=2, **kwargs):
    return GaussianMixture(k, random_state=0, **kwargs).fit(data)


BOTH = pytest.mark.parametrize("make", [engine, estimator], ids=["engine", "estimator"])

BAD_DATA = {
    # case: (data, engine message, estimator message (scikit-learn's validation))
    "nan": ([[1.0, np.nan], [2.0, 3.0], [4.0, 5.0]], r"NaN.*drop or impute", "NaN"),
    "inf": ([[1.0, np.inf], [2.0, 3.0], [4.0, 5.0]], r"infinity.*drop or impute", "infinity"),
    "empty": (np.empty((0, 2)), r"empty.*at least 2 samples", r"0 sample\(s\)"),
    "strings": ([["a", "b"], ["c", "d"], ["e", "f"]], r"numeric.*convert", "convert string"),
    "object": (np.array([[1, "x"], [2, 3], [4, 5]], dtype=object), r"numeric.*convert",
               "convert string"),
    "single sample": ([[1.0, 2.0]], r"only 1 sample.*n_samples >= 2", r"minimum of 2"),
    "3-D": (np.zeros((4, 2, 2)), r"must be 1-D .* or 2-D", "dim 3"),
    "huge values": ([[1e200, 1.0], [2.0, 3.0], [4.0, 5.0]], r"too large.*rescale",
                    r"too large.*rescale"),
}


@pytest.mark.parametrize("case", BAD_DATA)
def test_bad_data_engine(case):
    data, message, _ = BAD_DATA[case]
    with pytest.raises(ValueError, match=message):
        EMEngine(data, 1)


@pytest.mark.parametrize("case", BAD_DATA)
def test_bad_data_estimator(case):
    data, _, message = BAD_DATA[case]
    with pytest.raises(ValueError, match=message):
        GaussianMixture(1).fit(data)


def test_nan_message_counts_rows():
    data = X.copy()
    data[[1, 5], 0] = np.nan
    data[5, 1] = np.inf
    with pytest.raises(ValueError, match="in 2 of 20 rows"):
        EMEngine(data, 2)


def test_none_and_sparse_data():
    from scipy import sparse

    with pytest.raises(ValueError, match="None"):
        EMEngine(None, 1)
    with pytest.raises(ValueError, match=r"sparse.*toarray"):
        EMEngine(sparse.csr_matrix(X), 1)
    with pytest.raises(ValueError, match="complex"):
        EMEngine(X + 1j, 1)


@BOTH
def test_more_components_than_samples(make):
    with pytest.raises(ValueError, match=r"n_components.*(larger|n_samples)"):
        make(X[:3], 4)


@BOTH
@pytest.mark.parametrize("k", [0, -1])
def test_too_few_components(make, k):
    with pytest.raises(ValueError, match=r"n_components must be >= 1"):
        make(X, k)


@BOTH
@pytest.mark.parametrize("k", [2.5, 2.0, "2", True, None])
def test_non_integer_components(make, k):
    with pytest.raises(ValueError, match=r"n_components must be a whole number"):
        make(X, k)


@BOTH
@pytest.mark.parametrize(
    ("value", "hint"),
    [("Full", "Did you mean 'full'"), ("diagonal", "Did you mean 'diag'"),
     ("sphere", "Did you mean 'spherical'"), ("banana", r"Use one of 'full'")],
)
def test_unknown_covariance_type(make, value, hint):
    with pytest.raises(ValueError, match=rf"Unknown covariance_type '{value}'.*{hint}"):
        make(covariance_type=value)


@pytest.mark.parametrize(
    ("value", "hint"),
    [("kmeans++", r"Did you mean 'k-means\+\+'"), ("K-Means", "Did you mean 'kmeans'"),
     ("random-from-data", "Did you mean 'random_from_data'"), ("xyz", "Use one of")],
)
def test_unknown_init(value, hint):
    with pytest.raises(ValueError, match=rf"Unknown init .*{hint}"):
        engine(init=value)
    with pytest.raises(ValueError, match=rf"Unknown init_params .*{hint}"):
        estimator(init_params=value)


@BOTH
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights_init": [0.5, 0.3, 0.2]}, r"weights_init must have shape \(2,\)"),
        ({"weights_init": [[0.5, 0.5]]}, r"weights_init must have shape"),
        ({"weights_init": [0.5, 0.6]}, r"weights_init must sum to 1.*divide by the sum"),
        ({"weights_init": [1.5, -0.5]}, r"weights_init must be in \[0, 1\]"),
        ({"weights_init": [np.nan, 0.5]}, r"weights_init contains NaN"),
        ({"weights_init": ["a", "b"]}, r"weights_init must be an array of numbers"),
        ({"means_init": [[0.0, 0.0]]}, r"means_init must have shape \(2, 2\)"),
        ({"means_init": np.zeros((2, 3))}, r"means_init must have shape \(2, 2\)"),
        ({"precisions_init": np.ones((2, 2))},
         r"precisions_init for covariance_type='full' must have shape \(2, 2, 2\)"),
        ({"precisions_init": np.array([np.eye(2), [[1.0, 2.0], [2.0, 1.0]]])},
         r"precisions_init\[1\] must be symmetric and positive-definite"),
        ({"precisions_init": np.array([np.eye(2), [[1.0, 0.5], [0.0, 1.0]]])},
         r"symmetric and positive-definite"),
        ({"precisions_init": np.ones(2), "covariance_type": "diag"},
         r"must have shape \(2, 2\)"),
        ({"precisions_init": [[1.0, -1.0], [1.0, 1.0]], "covariance_type": "diag"},
         r"must be positive"),
        ({"precisions_init": [1.0, 0.0], "covariance_type": "spherical"}, "must be positive"),
        ({"precisions_init": -np.eye(2), "covariance_type": "tied"},
         r"precisions_init must be symmetric and positive-definite"),
        ({"precisions_init": np.ones((2, 2, 2)), "covariance_type": "tied"},
         r"must have shape \(2, 2\)"),
    ],
)
def test_bad_user_start(make, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make(**kwargs)


@BOTH
@pytest.mark.parametrize("name", ["reg_covar", "tol"])
@pytest.mark.parametrize("value", [-1e-3, np.nan, np.inf, "0.1"])
def test_bad_nonnegative_floats(make, name, value):
    with pytest.raises(ValueError, match=rf"{name} must be"):
        make(**{name: value})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"max_iter": -1}, "max_iter must be >= 0"), ({"n_init": 0}, "n_init must be >= 1"),
     ({"max_iter": 1.5}, "max_iter must be a whole number"),
     ({"verbose_interval": 0}, "verbose_interval must be >= 1")],
)
def test_bad_estimator_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        estimator(**kwargs)


def test_bad_engine_settings():
    with pytest.raises(ValueError, match="chunk_size must be >= 1"):
        engine(chunk_size=0)
    with pytest.raises(ValueError, match="max_iter must be >= 0"):
        engine().run(max_iter=-1)


def test_predict_with_wrong_number_of_features():
    gm = GaussianMixture(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="features"):
        gm.predict(np.zeros((3, 3)))
