"""EM on Dask: data bigger than the workers' memory, and the scheduler's overhead.

1. Overhead: seconds per EM iteration of the in-memory EMEngine against the Dask engine on
   the same data (persisted in 2 local worker processes), same start, at --sizes rows.
   Runs alternate between the two; medians of --repeats runs of --iterations iterations.
2. Bigger than memory: --rows rows × 2 read from a zarr store on disk (written once into a
   cache directory and reused), fitted by workers capped at --worker-memory each, with 1
   then 2 workers: seconds for the scan + start, seconds per iteration (median of
   --big-iterations), peak resident memory of each worker, and the speed-up.

    .venv/bin/python bench/bench_dask.py [--rows 100000000] [--sizes 1000000 10000000]

K = 5 components, d = 2, full covariances, tol = 0 (fixed iteration counts). Besides wall
seconds it reports CPU seconds per iteration (this process + scheduler + workers), which a
machine loaded by other programs changes much less; the load average is printed too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gmm_core import EMEngine, MixtureParameters  # noqa: E402
from gmm_core.dask_backend import DaskEMEngine  # noqa: E402

K, D = 5, 2
CENTERS = np.random.default_rng(0).uniform(-10, 10, size=(K, D))


def make_block(n, seed):
    rng = np.random.default_rng(seed)
    return CENTERS[rng.integers(K, size=n)] + rng.standard_normal((n, D))


def start_params():
    """A start near (not at) the truth, the same for every engine: no k-means timed."""
    rng = np.random.default_rng(1)
    means = CENTERS + rng.uniform(-1, 1, size=CENTERS.shape)
    return MixtureParameters.from_covariances(np.full(K, 1 / K), means,
                                              np.tile(np.eye(D) * 2.0, (K, 1, 1)), "full")


def _process_cpu():
    import psutil

    times = psutil.Process().cpu_times()
    return times.user + times.system


def cpu_seconds(client):
    """CPU seconds used so far by this process, and by the cluster's scheduler and workers."""
    total = time.process_time()
    if client is not None:
        total += sum(client.run(_process_cpu).values()) + client.run_on_scheduler(_process_cpu)
    return total


def seconds_per_iteration(engine, iterations, client=None):
    """Medians over ``iterations`` single iterations: (wall seconds, CPU seconds).

    CPU seconds add this process, the scheduler and every worker: unlike wall time they
    hardly change when other programs load the machine.
    """
    walls, cpus = [], []
    for _ in range(iterations):
        c0, t0 = cpu_seconds(client), time.perf_counter()
        engine.run(engine.n_iter + 1, finalize=False)
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds(client) - c0)
    return float(np.median(walls)), float(np.median(cpus))


def load():
    averages = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"load average {averages} (1, 5, 15 min; {os.cpu_count()} cores)"


def overhead(sizes, repeats, iterations):
    import dask.array as da
    from distributed import Client, LocalCluster

    print(f"1. In-memory EMEngine vs Dask (2 worker processes × 1 thread, data persisted on "
          f"the workers), {iterations} iterations × {repeats} alternating runs, medians")
    print(f"{'N':>10} {'blocks':>6} {'in-memory s/it':>15} {'Dask s/it':>10} "
          f"{'Dask / in-memory':>17} {'in-mem CPU s/it':>16} {'Dask CPU s/it':>14} "
          f"{'max |Δμ|':>9}")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        for n in sizes:
            X = make_block(n, seed=n)
            blocks = 8
            Xd = client.persist(da.from_array(X, chunks=(-(-n // blocks), D)))
            params = start_params()
            mem, dsk = [], []
            for _ in range(repeats):
                a = EMEngine.from_parameters(X, params, tol=0)
                mem.append(seconds_per_iteration(a, iterations))
                b = DaskEMEngine.from_parameters(Xd, params, tol=0)
                dsk.append(seconds_per_iteration(b, iterations, client))
            delta = float(np.abs(a.means - b.means).max())
            (t_mem, c_mem), (t_dsk, c_dsk) = np.median(mem, axis=0), np.median(dsk, axis=0)
            print(f"{n:>10,} {blocks:>6} {t_mem:>15.3f} {t_dsk:>10.3f} {t_dsk / t_mem:>16.2f}x "
                  f"{c_mem:>16.3f} {c_dsk:>14.3f} {delta:>9.1e}", flush=True)
            del Xd


def write_store(path, rows, chunk):
    import dask.array as da
    import zarr

    if (path / "zarr.json").exists():
        z = zarr.open_array(str(path), mode="r")
        if z.shape == (rows, D) and z.chunks == (chunk, D):
            print(f"   reusing {path} ({z.nbytes / 2**30:.2f} GiB)")
            return
    print(f"   writing {path} ({rows * D * 8 / 2**30:.2f} GiB) ...", flush=True)
    t0 = time.perf_counter()
    z = zarr.create_array(str(path), shape=(rows, D), chunks=(chunk, D), dtype="f8",
                          compressors=None, overwrite=True)
    sizes = [min(chunk, rows - s) for s in range(0, rows, chunk)]
    parts = [da.from_delayed(_delayed_block(n, i), shape=(n, D), dtype="f8")
             for i, n in enumerate(sizes)]
    da.concatenate(parts).rechunk((chunk, D)).store(z, lock=False)
    print(f"   written in {time.perf_counter() - t0:.0f} s", flush=True)


def _delayed_block(n, i):
    from dask import delayed

    return delayed(make_block)(n, 1000 + i)


def peak_rss_mib():
    """The worker process's peak resident memory (VmHWM, Linux), MiB.

    Not getrusage's ru_maxrss: that survives fork + exec, so a spawned worker would report
    the parent's size at spawn time.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bigger_than_memory(rows, chunk, worker_memory, iterations, cache):
    import dask.array as da
    from distributed import Client, LocalCluster

    path = cache / f"gmm_{rows}x{D}_chunk{chunk}.zarr"
    print(f"\n2. {rows:,} rows × {D} (float64, {rows * D * 8 / 2**30:.2f} GiB) from a zarr "
          f"store on disk, {chunk:,} rows per block, workers capped at {worker_memory} each")
    cache.mkdir(parents=True, exist_ok=True)
    with LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=worker_memory,
                      dashboard_address=None) as cluster, Client(cluster):
        write_store(path, rows, chunk)
    print(f"{'workers':>7} {'memory cap':>10} {'scan+start s':>12} {'s / iteration':>13} "
          f"{'CPU s / iteration':>17} "
          f"{'peak worker RSS MiB':>20} {'max |μ − true|':>15}")
    per_iteration = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, memory_limit=worker_memory,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            X = da.from_zarr(str(path))
            t0 = time.perf_counter()
            engine = DaskEMEngine.from_parameters(X, start_params(), tol=0)
            t_scan = time.perf_counter() - t0
            per_iteration[workers], cpu = seconds_per_iteration(engine, iterations, client)
            peaks = client.run(peak_rss_mib)
            error = float(np.abs(np.sort(engine.means, axis=0)
                                 - np.sort(CENTERS, axis=0)).max())
            print(f"{workers:>7} {worker_memory:>10} {t_scan:>12.1f} "
                  f"{per_iteration[workers]:>13.2f} {cpu:>17.2f} "
                  f"{' / '.join(f'{p:.0f}' for p in peaks.values()):>20} {error:>15.3f}",
                  flush=True)
    print(f"   speed-up from 1 to 2 workers: {per_iteration[1] / per_iteration[2]:.2f}x "
          f"({iterations} iterations each, median)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--chunk", type=int, default=2_000_000)
    parser.add_argument("--big-iterations", type=int, default=3)
    parser.add_argument("--worker-memory", default="1GiB")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "em_playground_bench")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", module="distributed")
    print(f"K={K}, d={D}, full covariances, tol=0. Start: {load()}\n")
    if args.sizes:
        overhead(args.sizes, args.repeats, args.iterations)
    if args.rows:
        bigger_than_memory(args.rows, args.chunk, args.worker_memory, args.big_iterations,
                           args.cache)
    print(f"\nEnd: {load()}")


if __name__ == "__main__":
    main()
