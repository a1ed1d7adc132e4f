"""Sweep throughput: 1 vs 2 local workers vs a Dask LocalCluster, measured side by side in one run.

Each executor is warmed up first (every worker imports the model and runs a small society), then
times the same sweep of runs of about 1-2 s each (BLAS threads pinned to 1 in every worker).
Prints runs/s and the ratios; the targets (issue 7) are 2 workers >= 1.8x the throughput of 1, and
Dask >= 0.9x the local pool with as many workers. On a machine shared with other work the
ratios measure the sharing too: check the load average printed beside them.

    .venv/bin/python benchmarks/sweep_throughput.py [--citizens 30000] [--runs 16] [--steps 100]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from trustcascade.experiments.executors import dask_cluster, local_pool
from trustcascade.experiments.files import read_experiment
from trustcascade.experiments.runner import sweep

EXPERIMENT = """
[experiment]
name = "throughput"
steps = {steps}
replicates = {replicates}
seed = 1
[fixed]
n_citizens = {citizens}
n_companies = {companies}
[factors]
sanction_scope = ["joint", "local"]
[output]
metrics = ["listed_share", "collateral_share"]
every = "final"
"""


def write(folder: Path, name: str, **values) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(EXPERIMENT.format(**values).replace('"throughput"', f'"{name}"'))
    return path


def timed(executor, slots: int, warmup, experiment, folder: Path) -> float:
    """Runs/s of ``experiment`` on an executor already warmed up by ``warmup``."""
    folder.mkdir()
    sweep(warmup, folder / "warmup", executor, window=2 * slots, progress=False)
    started = time.perf_counter()
    summary = sweep(experiment, folder / "timed", executor, window=2 * slots, progress=False)
    seconds = time.perf_counter() - started
    assert summary.complete, summary
    return summary.finished / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=16)
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sweep-throughput-"))
    experiment = read_experiment(write(root, "timed", steps=args.steps, replicates=max(1, args.runs // 2),
                                       citizens=args.citizens, companies=args.citizens // 100))
    warmup = read_experiment(write(root, "warmup", steps=5, replicates=4, citizens=2000, companies=20))
    rates = {}
    for label, opener in (("1 worker", lambda: local_pool(1)), ("2 workers", lambda: local_pool(2)),
                          ("dask 2 workers", _dask_opener)):
        with opener() as (executor, slots, _):
            rates[label] = timed(executor, min(slots, 2), warmup, experiment, root / label.replace(" ", "-"))
        print(f"{label:15s} {rates[label]:.3f} runs/s  ({2 if '2' in label else 1} / rate = "
              f"{(2 if '2' in label else 1) / rates[label]:.2f} s per run per worker)  "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"2 workers / 1 worker: {rates['2 workers'] / rates['1 worker']:.2f}x (target >= 1.8)")
    print(f"dask / local pool (2 workers each): {rates['dask 2 workers'] / rates['2 workers']:.2f}x "
          "(target >= 0.9)")


class _dask_opener:
    """A LocalCluster of 2 single-threaded worker processes on 127.0.0.1, used through --scheduler's path."""

    def __enter__(self):
        import dask
        from distributed import LocalCluster

        # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which doubles the cost
        # of this model's many short-lived arrays (docs/sweeps.md, section 4): unset it, as
        # that section recommends for real clusters too.
        with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
            self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                        dashboard_address=None)
        self.connection = dask_cluster(self.cluster.scheduler_address)
        return self.connection.__enter__()

    def __exit__(self, *exc):
        self.connection.__exit__(*exc)
        self.cluster.close()


if __name__ == "__main__":
    main()
