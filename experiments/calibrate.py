"""A calibration from file to folder: check the folder, run the missing populations, write results.

Layout of ``DIR``::

    metadata.json     the calibration file, fingerprint, seeds, versions, sessions, populations
    history.db        pyabc's history (SQLite): every population, particle and distance
    posterior.csv     the last population's particles and weights
    summary.csv       parameter, mean, median, q05, q95 (weighted)
    predictive.csv    posterior-predictive runs of the target columns
    figures/          marginals, pairs, predictive (PNG and SVG)

``metadata.json`` is written before the first population, so ``--resume`` can refuse a folder
whose calibration file has changed since (same fingerprint rule as sweeps).
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

from trustcascade.model.schema import ParameterError

from .storage import _lock, read_metadata

OWN_ENTRIES = {".lock", "metadata.json", "history.db", "history.db-journal", "posterior.csv", "summary.csv",
               "predictive.csv", "figures"}
SEED_RULE = ("candidate i of population t: numpy legacy seed SeedSequence(seed, spawn_key=(0xCA1B, t + 1, i))"
             ".generate_state(4); replicate r of it: SeedSequence(base, spawn_key=(0, r)), base drawn from "
             "that stream; posterior-predictive draw d: SeedSequence(seed, spawn_key=(0x9D1C, d))")


def check_calibration_folder(out, calibration, resume: bool) -> None:
    """Refuse, before anything is written, a folder this calibration must not touch."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ParameterError("--out", f"--out '{out}' is a file; give a folder")
    if not out.exists():
        if resume:
            raise ParameterError("--resume", f"--resume: '{out}' does not exist; nothing to resume")
        parent = out.parent if str(out.parent) else Path(".")
        if not parent.is_dir() or not os.access(parent, os.W_OK):
            raise ParameterError("--out", f"--out '{out}': folder '{parent}' does not exist or is not writable")
        return
    try:
        metadata = read_metadata(out)
    except (OSError, ValueError):
        raise ParameterError("--out", f"--out '{out}': metadata.json is unreadable") from None
    if metadata is None:
        strangers = sorted(entry.name for entry in out.iterdir() if not entry.name.endswith(".part"))
        if strangers:
            raise ParameterError("--out", f"--out '{out}' is not empty and holds no calibration (found "
                                 f"'{strangers[0]}'); choose an empty or new folder")
        if resume:
            raise ParameterError("--resume", f"--resume: '{out}' holds no calibration; nothing to resume")
        return
    if metadata.get("fingerprint") != calibration.fingerprint:
        flag = "--resume" if resume else "--out"
        raise ParameterError(flag, f"{flag}: '{out}' holds a calibration of another "
                             f"file ('{metadata.get('name')}', fingerprint {metadata.get('fingerprint')}; "
                             f"this file's is {calibration.fingerprint}); the file changed: choose another folder")
    if not resume:
        raise ParameterError("--out", f"--out '{out}' already holds this calibration; add --resume to "
                             "continue it, or choose another folder")


def calibrate(calibration, out, executor, slots: int, label: str, progress: bool = True) -> dict:
    """Run what is missing of ``calibration`` into ``out`` (checked with
    :func:`check_calibration_folder`) and write every result; returns the metadata."""
    from .calibration import populations_done, run_populations
    from .calibration_figures import draw_calibration
    from .calibration_output import posterior, predictive, summary, write_csv, write_json
    from .runner import _now

    out = Path(out)
    out.mkdir(exist_ok=True)
    lock = _lock(out / ".lock")
    try:
        metadata = read_metadata(out) or _new_metadata(calibration)
        before = populations_done(out)
        metadata["sessions"].append({**_versions(), "executor": label, "started": _now(), "ended": None,
                                     "populations_before": before, "status": "running"})
        write_json(metadata, out / "metadata.json")
        bar = _progress_bar(calibration, before, progress)
        try:
            run_populations(calibration, out, executor, slots, bar)
        finally:
            bar.close()
        frame = posterior(calibration, out)
        table = summary(frame)
        runs = predictive(calibration, out, executor)
        write_csv(frame, out / "posterior.csv")
        write_csv(table, out / "summary.csv")
        write_csv(runs, out / "predictive.csv")
        draw_calibration(calibration, frame, table, runs, out / "figures")
        from .calibration_output import populations_table

        metadata["populations_table"] = populations_table(out)
        metadata["sessions"][-1].update(ended=_now(), status="complete")
        metadata["status"] = "complete"
        write_json(metadata, out / "metadata.json")
        return metadata
    finally:
        if lock is not None:
            lock.close()


def _new_metadata(calibration) -> dict:
    return {"name": calibration.name, "description": calibration.description,
            "fingerprint": calibration.fingerprint, "calibration_path": calibration.source,
            "calibration_file": calibration.text, "preset": calibration.preset, "seed": calibration.seed,
            "seed_rule": SEED_RULE, "steps": calibration.steps, "populations": calibration.populations,
            "particles": calibration.particles, "replicates": calibration.replicates,
            "parameters": calibration.parameter_names, "observed": calibration.observed,
            "method": "ABC-SMC (pyabc ABCSMC), MedianEpsilon, multivariate normal kernel, uniform priors",
            "distance": "root mean square of (simulated - observed) / |observed| over the targets "
                        "(observed 0: scaled by the column's largest observed value, or 1)",
            **_versions(), "sessions": [], "status": "running"}


def _versions() -> dict:
    from trustcascade.model.provenance import git_commit, package_version

    from .runner import _version

    return {"trustcascade_version": package_version(), "git_commit": git_commit(),
            "python": platform.python_version(), "pyabc": _version("pyabc"), "mesa": _version("mesa"),
            "numpy": _version("numpy"), "host": platform.node()}


def _progress_bar(calibration, done: int, progress: bool):
    import sys

    from tqdm import tqdm

    return tqdm(total=calibration.populations, initial=done, unit="population", desc=calibration.name,
                file=sys.stderr, disable=not progress, dynamic_ncols=True)
