"""One thread for each native thread pool (OpenBLAS of NumPy and of SciPy, scikit-learn's
OpenMP) in the app's process; imported once by ``app.py``.

The app's matrices are tiny (n × 2, K ≤ 10): a second BLAS or OpenMP thread has nothing to
share, and its pools spin while they wait. On this 2-core machine, with other processes
busy, each "Full iteration" cost 71 ms of CPU with the default 2 threads and 38 ms with one
(AppTest, alternating clicks, medians), and a server with 30 students spent the difference
spinning (bench/bench_class.py). Concurrent users are served by more processes
(deploy/serve.py), not by more threads inside one step.

The limit applies to the libraries loaded at the time, so they are imported first. OpenBLAS's
limit holds for the whole process; libgomp's (OpenMP) only for the importing thread, so
deploy/serve.py also starts its replicas with ``OMP_NUM_THREADS=1`` (OpenMP runs only in the
k-means start of a new run, not in a step).
"""

from __future__ import annotations

import numpy  # noqa: F401  (loads NumPy's OpenBLAS)
import scipy.linalg  # noqa: F401  (SciPy's own OpenBLAS)
import sklearn.cluster  # noqa: F401  (scikit-learn's OpenMP, used by KMeans starts)
from threadpoolctl import threadpool_limits

#: Every pool found at import; kept so the limit is not undone (threadpoolctl restores the
#: old limits only when asked to).
LIMITS = threadpool_limits(limits=1)
