"""Test-wide set-up."""

import os

# scikit-learn's check_array_api_input (one of parametrize_with_checks) runs only when SciPy's
# array-API mode is on; set it before SciPy is imported so that check runs instead of skipping.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# The tests run under the app's thread policy (one BLAS/OpenMP thread, ui/threads.py): the
# engine sets none, and the page maths are timed and tuned for it.
import ui.threads  # noqa: E402, F401
