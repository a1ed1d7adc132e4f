"""Sweeps: experiment files, designs, the runner that streams and resumes, and loading results.

    from trustcascade.experiments import load
    frame = load("results/joint-vs-local")   # one tidy DataFrame; frame.attrs["metadata"]

Modules: ``files`` (TOML experiment files checked against the parameter schema), ``design``
(grid, Latin hypercube, Sobol', Morris), ``runner`` (tasks, seeds, streaming, resume),
``executors`` (local process pool, Dask), ``storage`` (the sweep folder, atomic writes, ``load``).
"""

from __future__ import annotations

__all__ = ["load", "read_experiment", "sweep"]


def load(out):
    """All finished runs of the sweep in folder ``out`` as one DataFrame (see :func:`storage.load`)."""
    from .storage import load as load_folder

    return load_folder(out)


def read_experiment(path):
    """Read and check an experiment file (see :func:`files.read_experiment`)."""
    from .files import read_experiment as read

    return read(path)


def sweep(experiment, out, workers=None, scheduler=None, progress=True):
    """Run ``experiment`` (a path or an :class:`~files.Experiment`) into folder ``out``; resumes."""
    from .executors import open_executor
    from .runner import sweep as run

    if not hasattr(experiment, "fingerprint"):
        experiment = read_experiment(experiment)
    with open_executor(workers, scheduler) as (executor, slots, label):
        return run(experiment, out, executor, window=2 * slots, progress=progress,
                   session={"executor": label})
