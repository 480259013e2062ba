"""One thread for each native thread pool (OpenBLAS of NumPy and of SciPy, scikit-learn's
OpenMP) in the app's process; imported first by ``app.py`` (and by the benchmarks and tests
that should measure what the app does). The engine (``gmm_core``) sets no thread policy: this
is the app's.

The app's matrices are tiny (n × 2, K ≤ 10): a second BLAS or OpenMP thread has nothing to
share, and its pools spin while they wait. On this 2-core machine, with other processes
busy, each "Full iteration" cost 71 ms of CPU with the default 2 threads and 38 ms with one
(AppTest, alternating clicks, medians), and a server with 30 students spent the difference
spinning (bench/bench_class.py). On Applications (digits, K = 10) one k-means took 0.41 s
with a thread per core and 0.035 s with one, one EM fit 1.09 s and 0.27 s (under load).
Concurrent users are served by more processes (deploy/serve.py), not by more threads inside
one step.

OpenBLAS's limit holds for the whole process, so ``threadpool_limits`` below suffices for it.
libgomp's (OpenMP: scikit-learn's k-means) is per thread: a limit set here holds only for the
importing thread, and every Streamlit script run is another thread, which starts from the
default that libgomp read from ``OMP_NUM_THREADS`` when it was loaded. Hence the variable is
set before scikit-learn is first imported (``tests/ui/test_threads.py`` checks a script
thread); deploy/serve.py also starts its replicas with it.
"""

from __future__ import annotations

import os

# Before any import that loads libgomp (scikit-learn's compiled modules); a value the user
# set is kept.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy  # noqa: E402, F401  (loads NumPy's OpenBLAS)
import scipy.linalg  # noqa: E402, F401  (SciPy's own OpenBLAS)
import sklearn.cluster  # noqa: E402, F401  (scikit-learn's OpenMP, used by KMeans starts)
from threadpoolctl import threadpool_limits  # noqa: E402

#: Every pool found at import; kept so the limit is not undone (threadpoolctl restores the
#: old limits only when asked to).
LIMITS = threadpool_limits(limits=1)
