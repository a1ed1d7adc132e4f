"""Where runs execute: a local process pool, or a Dask cluster; both are concurrent.futures Executors.

:func:`open_executor` yields ``(executor, slots, label)``: the Executor the runner submits to, how
many runs it can work on at once (the runner keeps about twice that many in flight) and a line
for the metadata. Anything else with ``submit`` returning a :class:`concurrent.futures.Future`
(e.g. mpi4py's MPIPoolExecutor) can be handed to the runner directly.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

from trustcascade.model.schema import ParameterError
from trustcascade.model.provenance import install_hint

# One BLAS/OpenMP thread per worker: the runs are the parallelism, and oversubscribing the cores
# with BLAS threads makes each worker slower. Read by the libraries when a worker imports them.
PINNED_THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                         "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}
QUEUED_ON_DASK = 64
SCHEDULER_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx)://[^\s/]+(:\d+)?/?$")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


@contextmanager
def pinned_threads():
    """Set the one-thread environment for processes started inside the block, then restore it."""
    saved = {name: os.environ.get(name) for name in PINNED_THREADS}
    os.environ.update(PINNED_THREADS)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def local_pool(workers: int):
    """A process pool of ``workers`` processes started with 'spawn' (safe with threads in the
    parent, the same on Linux, macOS and Windows), BLAS threads pinned to 1 in each."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with pinned_threads():
        executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            yield executor, workers, f"local process pool, {workers} worker{'s' if workers != 1 else ''}"
        finally:
            executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def dask_cluster(address: str, timeout: float = 10.0):
    """Runs on the Dask cluster whose scheduler listens at ``address`` (``tcp://HOST:PORT``).

    The workers need trustcascade installed. Dask's nanny already starts workers with
    OMP/MKL/OpenBLAS threads pinned to 1.
    """
    if not SCHEDULER_ADDRESS.match(address):
        raise ParameterError("--scheduler", f"--scheduler must look like tcp://HOST:PORT; got '{address}'")
    try:
        from distributed import Client
    except ImportError:
        raise ParameterError("--scheduler", "--scheduler needs dask.distributed: "
                             + install_hint("sweeps")) from None
    try:
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as error:
        reason = " ".join(str(error).split())[:200]
        raise ParameterError("--scheduler", f"--scheduler: cannot reach {address}: {reason}") from None
    try:
        threads = sum(client.nthreads().values())
        executor = client.get_executor(pure=False)
        # Workers may still be arriving (dask-jobqueue scales by batch jobs): keep enough runs queued
        # for a cluster that grows; Dask's scheduler holds the queue, a task costs it little.
        yield executor, max(threads, QUEUED_ON_DASK), f"dask cluster at {address}, {threads} threads at start"
    finally:
        client.close()


def open_executor(workers: int | None = None, scheduler: str | None = None):
    """The Dask cluster at ``scheduler`` if given, else a local pool of ``workers`` (default: cores)."""
    if scheduler:
        return dask_cluster(scheduler)
    return local_pool(workers or default_workers())
