"""The sweep runner: one task per (design point, replicate), results streamed to disk as runs finish.

The runner knows nothing about the society. It takes a *model factory* — a top-level (picklable)
function ``factory(seed, params, schedule)`` returning an object with ``.params`` (a dict) and
``.run(steps)`` (a DataFrame with a ``step`` column and the metrics) — the experiment's design
points and seeds, and any :class:`concurrent.futures.Executor`: a local process pool
(:mod:`trustcascade.experiments.executors`), Dask's ``client.get_executor()``, or MPIPoolExecutor.

Each run's seed is derived from the experiment seed and the run's (point, replicate) with
:class:`numpy.random.SeedSequence`, never from the order in which runs are handed out, so the data
do not depend on the number of workers, the executor or interruptions (L'Ecuyer et al. 2017,
"Random numbers for parallel computers").
"""

from __future__ import annotations

import concurrent.futures as cf
import platform
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from .factory import build_society
from .storage import SweepFolder, check_folder, read_metadata


@dataclass(frozen=True)
class Task:
    """One run: which design point, which replicate, which seed, and what to record."""

    run_id: str
    point_id: int
    replicate: int
    seed: int
    params: dict
    schedule: dict
    steps: int
    every: int | None
    metrics: tuple
    scheduled: dict = field(default_factory=dict)  # scheduled factors' values, e.g. {"60:shock_companies": 1}


@dataclass
class Summary:
    """What a sweep did: runs in the experiment, skipped as already finished, run now, failed."""

    total: int
    skipped: int = 0
    finished: int = 0
    failed: int = 0
    seconds: float = 0.0
    failed_ids: list = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.skipped + self.finished == self.total


class SweepAborted(RuntimeError):
    """The executor broke (a worker process died); finished runs are kept."""


def run_id(point_id: int, replicate: int) -> str:
    return f"p{point_id:05d}-r{replicate:03d}"


def run_seed(seed: int, point_id: int, replicate: int, common: bool = True) -> int:
    """The seed of one run, a 63-bit int from ``SeedSequence(seed, spawn_key=KEY)``.

    With ``common`` (the default) KEY is ``(replicate,)``: replicate r of every design point gets
    the same seed, so comparisons between points are paired (common random numbers; Law,
    *Simulation Modeling and Analysis*, ch. 11), as in ``mesa.batch_run(rng=[...])``. Otherwise KEY
    is ``(point_id, replicate)`` and every run has its own stream.
    """
    return derived_seed(seed, (replicate,) if common else (point_id, replicate))


def derived_seed(seed: int, key: tuple) -> int:
    """``SeedSequence(seed, spawn_key=key)`` as a 63-bit int: the seed of one run."""
    state = np.random.SeedSequence(seed, spawn_key=key).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


def plan(experiment) -> list[Task]:
    """Every run of the experiment, replicate-major (all points once, then again), so an
    interrupted sweep has covered the whole design before it repeats any point."""
    inputs = [experiment.run_inputs(point) for point in experiment.points]
    return [Task(run_id(point_id, replicate), point_id, replicate,
                 run_seed(experiment.seed, point_id, replicate, experiment.common_seeds),
                 params, schedule, experiment.steps, experiment.every, experiment.metrics, scheduled)
            for replicate in range(experiment.replicates)
            for point_id, (params, schedule, scheduled) in enumerate(inputs)]


def recorded_steps(steps, every: int | None, last: int):
    """Mask of the steps to keep: multiples of ``every`` and always the final step."""
    if every is None:
        return steps == last
    return (steps % every == 0) | (steps == last)


def perform(factory, task: Task):
    """Run one task (in a worker). Returns ``(run_id, frame, None)`` or ``(run_id, None, failure)``."""
    import pandas as pd

    started = time.perf_counter()
    try:
        model = factory(task.seed, task.params, task.schedule)
        params = dict(model.params)  # before the schedule changes any of them
        table = model.run(task.steps)
        kept = table.loc[recorded_steps(table["step"], task.every, task.steps), ["step", *task.metrics]]
        ids = {"run_id": task.run_id, "point_id": task.point_id, "replicate": task.replicate,
               "seed": task.seed}
        clashes = set(params) & {*ids, *kept.columns, *task.scheduled}
        if clashes:
            raise ValueError(f"parameter names clash with output columns: {sorted(clashes)}")
        constant = pd.DataFrame({**ids, **params, **task.scheduled}, index=range(len(kept)))
        frame = pd.concat([constant, kept.reset_index(drop=True)], axis=1)
    except Exception as error:
        return task.run_id, None, failure_record(task, error, seconds=time.perf_counter() - started)
    return task.run_id, frame, None


def failure_record(task: Task, error: BaseException, seconds: float | None = None) -> dict:
    """What ``failed/<run_id>.json`` holds: the run, its parameters, the error and its traceback."""
    return {"run_id": task.run_id, "point_id": task.point_id, "replicate": task.replicate,
            "seed": task.seed, "params": task.params,
            "schedule": {str(k): v for k, v in task.schedule.items()},
            "error": f"{type(error).__name__}: {error}",
            "traceback": "".join(traceback.format_exception(error)), "host": platform.node(),
            "seconds": None if seconds is None else round(seconds, 3), "time": _now()}


def sweep(experiment, out, executor: cf.Executor, factory=build_society, window: int = 8,
          progress: bool = True, session: dict | None = None, shuffle: int | None = None) -> Summary:
    """Run every unfinished run of ``experiment`` on ``executor``, writing each into ``out`` as it ends.

    At most ``window`` runs are in flight, so memory stays flat for any number of runs and an
    interruption loses at most those. Runs already in ``out`` are skipped (resume). With
    ``shuffle`` (a seed) the unfinished runs are handed out in an order shuffled by it instead of
    replicate-major; the data are the same (the reliability tests check it).
    """
    inputs = experiment.input_fingerprints()
    check_folder(out, experiment.fingerprint, experiment.name, resume=False, inputs=inputs)
    folder = SweepFolder(out)
    try:
        return _sweep(experiment, folder, executor, factory, window, progress,
                      {**(session or {}), "inputs": inputs}, shuffle)
    finally:
        folder.close()


def _sweep(experiment, folder: SweepFolder, executor, factory, window, progress, session, shuffle) -> Summary:
    tasks = plan(experiment)
    done = folder.finished()
    for stale in folder.failures() & done:  # killed between writing a run and clearing its failure
        (folder.failed / f"{stale}.json").unlink(missing_ok=True)
    todo = [task for task in tasks if task.run_id not in done]
    if shuffle is not None:
        todo = [todo[i] for i in np.random.default_rng(shuffle).permutation(len(todo))]
    summary = Summary(total=len(tasks), skipped=len(tasks) - len(todo))
    metadata = _open_session(folder, experiment, summary, session)
    folder.write_design(design_frame(experiment.design))
    started = time.perf_counter()
    bar = _progress_bar(experiment.name, summary, progress)
    pending: dict[cf.Future, Task] = {}
    queue = iter(todo)
    status = "interrupted"
    try:
        for task in _take(queue, max(1, window)):
            pending[executor.submit(perform, factory, task)] = task
        while pending:
            finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in finished:
                _store(folder, future, pending.pop(future), summary)
                bar.update()
                bar.set_postfix(failed=summary.failed, refresh=False)
            for task in _take(queue, len(finished)):
                pending[executor.submit(perform, factory, task)] = task
        status = "complete" if summary.complete else "finished with failures"
    finally:
        for future in pending:
            future.cancel()
        bar.close()
        summary.seconds = time.perf_counter() - started
        _close_session(folder, metadata, summary, status)
    return summary


def _take(queue, count: int) -> list:
    return [task for _, task in zip(range(count), queue)]


def _store(folder: SweepFolder, future: cf.Future, task: Task, summary: Summary) -> None:
    error = future.exception()
    if isinstance(error, cf.BrokenExecutor):
        raise SweepAborted(f"a worker died ({type(error).__name__}: {error}); the {summary.finished} "
                           "runs finished so far are kept; rerun the sweep to resume") from error
    if error is not None:  # the executor failed the task (e.g. Dask's KilledWorker)
        failure = failure_record(task, error)
        result = (task.run_id, None, failure)
    else:
        result = future.result()
    identifier, frame, failure = result
    if failure is None:
        folder.write_run(identifier, frame, run_provenance(folder, task, frame))
        summary.finished += 1
    else:
        folder.write_failure(identifier, failure)
        summary.failed += 1
        summary.failed_ids.append(identifier)


def run_provenance(folder: SweepFolder, task: Task, frame) -> dict:
    """What a run's own Parquet file records (its key-value metadata ``trustcascade``): seed,
    parameters as the run used them, schedule, steps, package version and git commit."""
    from trustcascade.model.params import SCHEMA

    first = frame.iloc[0] if len(frame) else {}
    params = {name: first[name].item() if hasattr(first[name], "item") else first[name]
              for name in SCHEMA.params if name in first} if len(frame) else dict(task.params)
    return {"run_id": task.run_id, "point_id": task.point_id, "replicate": task.replicate,
            "seed": task.seed, "params": params, "schedule": {str(k): v for k, v in task.schedule.items()},
            "steps": task.steps, **getattr(folder, "provenance", {})}


def design_frame(design):
    """point_id, the factor values, and for sampled designs the raw sample (``sample_<factor>``)."""
    import pandas as pd

    frame = pd.DataFrame(design.points, index=pd.RangeIndex(len(design.points), name="point_id"))
    if design.sample is not None:
        for column, factor in enumerate(design.factors):
            frame[f"sample_{factor.name}"] = design.sample[:, column]
    return frame.reset_index()


def _open_session(folder: SweepFolder, experiment, summary: Summary, session: dict) -> dict:
    from trustcascade.model.provenance import git_commit, package_version

    metadata = read_metadata(folder.path) or {
        "name": experiment.name, "description": experiment.description,
        "fingerprint": experiment.fingerprint, "experiment_path": experiment.source,
        "experiment_file": experiment.text, "preset": experiment.preset,
        "design": experiment.design.name, "design_options": experiment.design.options,
        "factors": [f.name for f in experiment.design.factors], "problem": experiment.design.problem,
        "points": len(experiment.points), "replicates": experiment.replicates, "runs": summary.total,
        "seed": experiment.seed, "steps": experiment.steps, "every": experiment.every or "final",
        "metrics": list(experiment.metrics), "common_seeds": experiment.common_seeds,
        "inputs": session.get("inputs", {}),
        "seed_rule": "SeedSequence(seed, spawn_key=(replicate,) if common_seeds else (point_id, replicate))"
        ".generate_state(1, uint64)[0] >> 1", "sessions": []}
    versions = {"trustcascade_version": package_version(), "git_commit": git_commit(),
                "python": platform.python_version(), "mesa": _version("mesa"), "numpy": np.__version__,
                "host": platform.node()}
    folder.provenance = {"trustcascade_version": versions["trustcascade_version"],
                         "git_commit": versions["git_commit"], "experiment": experiment.name,
                         "fingerprint": experiment.fingerprint}
    previous = metadata["sessions"][-1] if metadata["sessions"] else None
    if previous and previous.get("git_commit") != versions["git_commit"]:
        print(f"trustcascade sweep: warning: resuming with code {versions['git_commit']}; earlier runs "
              f"were made with {previous.get('git_commit')} (both are recorded in metadata.json)",
              file=sys.stderr)
    metadata["sessions"].append({**versions, **session, "started": _now(), "ended": None,
                                 "skipped": summary.skipped, "status": "running"})
    metadata.update({key: value for key, value in versions.items() if key not in metadata})
    metadata.setdefault("started", metadata["sessions"][0]["started"])
    metadata.update(status="running", ended=None)
    folder.write_metadata(metadata)
    return metadata


def _close_session(folder: SweepFolder, metadata: dict, summary: Summary, status: str) -> None:
    ended = _now()
    metadata["sessions"][-1].update(ended=ended, status=status, finished=summary.finished,
                                    failed=summary.failed, seconds=round(summary.seconds, 3))
    metadata.update(status=status, ended=ended, finished=len(folder.finished()),
                    failed=len(folder.failures()))
    folder.write_metadata(metadata)


def _progress_bar(name: str, summary: Summary, progress: bool):
    from tqdm import tqdm

    return tqdm(total=summary.total, initial=summary.skipped, unit="run", desc=name, file=sys.stderr,
                disable=not progress, smoothing=0.05, dynamic_ncols=True)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
