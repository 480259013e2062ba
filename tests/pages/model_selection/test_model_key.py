"""A stale value of the "Model drawn" select box (a label sent back by the browser) is not a
model key: it must fall back to the best model, not raise."""

from app_pages.model_selection import results


def test_model_keys_round_trip():
    assert results.parse_model_key(results.model_key(3, "tied")) == (3, "tied")


def test_stale_values_are_not_model_keys():
    for stale in ("The best by BIC (K = 2, full (VVV))", "best", "", None, "x|full", "1|2|3"):
        assert results.parse_model_key(stale) is None
