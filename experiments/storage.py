"""The sweep folder: one Parquet file per finished run, written so a crash never corrupts it.

Layout of ``DIR``::

    metadata.json          the experiment file, versions, host, sessions (start/end), counts
    design.parquet         point_id and the factor values of each design point
    runs/<run_id>.parquet  one finished run, tidy: one row per recorded step
    failed/<run_id>.json   a run that raised: the error and its traceback

Every file is written to a temporary name in the same folder and moved into place with
``os.replace``, which is atomic on POSIX and Windows: a run's file exists in full or not at
all, so a sweep killed at any moment (even SIGKILL) resumes from exactly the runs it finished.
Temporary files (``.*.part``) left by a killed sweep are deleted when it resumes.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

from trustcascade.model.schema import ParameterError

RUN_FILE = re.compile(r"^p\d+-r\d+\.parquet$")
OWN_ENTRIES = {".lock", "runs", "failed", "metadata.json", "design.parquet"}


def write_atomically(target: Path, write) -> None:
    """Call ``write(path)`` on a temporary file beside ``target``, flush it to disk, then rename it."""
    write_all_atomically([(target, write)])


def write_all_atomically(outputs: list) -> None:
    """Write several files as one: each ``(target, write)`` to a temporary file beside its target,
    flushed to disk; only when all are written are they renamed into place. A failure (disk full)
    in any of them leaves none of the targets written or changed."""
    temporaries = []
    try:
        for target, write in outputs:
            temporary = _temporary_name(Path(target))
            temporaries.append(temporary)
            try:
                write(temporary)
                with open(temporary, "rb+") as written:
                    os.fsync(written.fileno())
            except OSError as error:
                error.target = target  # which output failed, for the caller's message
                raise
        for (target, _), temporary in zip(outputs, temporaries):
            os.replace(temporary, target)
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def _temporary_name(target: Path) -> Path:
    """``.<stem>.<pid>.<random>.part``, with the stem cut so the name stays within the file system's
    limit whenever the target's own name does."""
    tail = f".{os.getpid()}.{secrets.token_hex(4)}.part"
    stem = target.stem.encode()[:max(1, name_limit(target.parent) - len(tail) - 1)].decode(errors="ignore")
    return target.with_name(f".{stem}{tail}")


def name_limit(folder: Path) -> int:
    """Longest file name (bytes) the file system holding ``folder`` allows (255 on most)."""
    try:
        return os.pathconf(folder if str(folder) else ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def write_json(target: Path, record: dict) -> None:
    text = json.dumps(record, indent=2, default=str)
    write_atomically(target, lambda path: path.write_text(text + "\n", encoding="utf-8"))


def read_metadata(out: Path) -> dict | None:
    path = Path(out) / "metadata.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def check_folder(out: Path, fingerprint: str, name: str, resume: bool, inputs: dict | None = None) -> None:
    """Refuse, before anything is written, an output folder this sweep must not touch.

    A folder holding a *different* experiment (another fingerprint) is refused rather than
    mixed into or overwritten; so is a non-empty folder that is not a sweep folder.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ParameterError("--out", f"--out '{out}' is a file; give a folder")
    parent = out.parent if str(out.parent) else Path(".")
    if not out.exists():
        if resume:
            raise ParameterError("--resume", f"--resume: '{out}' does not exist; nothing to resume")
        if not parent.is_dir():
            raise ParameterError("--out", f"--out '{out}': folder '{parent}' does not exist")
        if not os.access(parent, os.W_OK):
            raise ParameterError("--out", f"--out '{out}': folder '{parent}' is not writable")
        return
    if not os.access(out, os.W_OK):
        raise ParameterError("--out", f"--out '{out}' is not writable")
    try:
        metadata = read_metadata(out)
    except (OSError, ValueError):
        raise ParameterError("--out", f"--out '{out}': metadata.json is unreadable") from None
    if metadata is None:
        strangers = sorted(entry.name for entry in out.iterdir()
                           if entry.name not in OWN_ENTRIES and not entry.name.endswith(".part"))
        if strangers:
            raise ParameterError("--out", f"--out '{out}' is not empty and holds no sweep (found "
                                 f"'{strangers[0]}'); choose an empty or new folder")
        if resume:
            raise ParameterError("--resume", f"--resume: '{out}' holds no sweep; nothing to resume")
        return
    if metadata.get("fingerprint") != fingerprint:
        raise ParameterError("--out", f"--out '{out}' holds results of a different experiment "
                             f"('{metadata.get('name')}', fingerprint {metadata.get('fingerprint')}; this "
                             f"file's '{name}' is {fingerprint}); choose another folder")
    recorded = metadata.get("inputs") or {}
    for path, before in recorded.items():
        now = (inputs or {}).get(path, before)
        if now != before:
            raise ParameterError("--out", f"--out '{out}': '{path}', which the runs read, changed since "
                                 f"the sweep's earlier runs (fingerprint {before}, now {now}); restore it "
                                 "or choose another folder")


class SweepFolder:
    """An opened sweep folder, locked against a second sweep writing into it at the same time."""

    def __init__(self, out: Path):
        self.path = Path(out)
        self.runs = self.path / "runs"
        self.failed = self.path / "failed"
        self.path.mkdir(exist_ok=True)
        self._lock = _lock(self.path / ".lock")
        for folder in (self.runs, self.failed):
            folder.mkdir(exist_ok=True)
            for partial in folder.glob(".*.part"):
                partial.unlink(missing_ok=True)
        for partial in self.path.glob(".*.part"):
            partial.unlink(missing_ok=True)

    def finished(self) -> set[str]:
        """Run ids whose Parquet file is complete (only whole files ever carry the final name)."""
        return {entry.name.removesuffix(".parquet") for entry in self.runs.iterdir()
                if RUN_FILE.match(entry.name)}

    def failures(self) -> set[str]:
        return {entry.stem for entry in self.failed.glob("*.json")}

    def write_run(self, run_id: str, frame, provenance: dict | None = None) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if provenance is not None:  # the run's own record, readable without metadata.json
            table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                                   b"trustcascade": json.dumps(provenance, default=str).encode()})
        write_atomically(self.runs / f"{run_id}.parquet", lambda path: pq.write_table(table, path))
        (self.failed / f"{run_id}.json").unlink(missing_ok=True)

    def write_failure(self, run_id: str, record: dict) -> None:
        write_json(self.failed / f"{run_id}.json", record)

    def write_design(self, frame) -> None:
        target = self.path / "design.parquet"
        if not target.exists():
            write_atomically(target, lambda path: frame.to_parquet(path, index=False))

    def write_metadata(self, metadata: dict) -> None:
        write_json(self.path / "metadata.json", metadata)

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def _lock(path: Path):
    """An exclusive lock held while the sweep runs; the OS drops it when the process dies."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; a second sweep there is the user's to avoid
        return None
    handle = open(path, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ParameterError("--out", f"--out '{path.parent}' is in use by another running sweep") from None
    return handle


def load(out) -> "pandas.DataFrame":  # noqa: F821
    """All finished runs of the sweep in ``out`` as one tidy DataFrame, sorted by run and step.

    ``frame.attrs["metadata"]`` holds ``metadata.json`` (experiment file, versions, sessions);
    ``frame.attrs["failed"]`` the failure records of runs that raised. Runs still missing (an
    interrupted sweep) are simply absent; ``attrs["metadata"]["runs"]`` says how many there are.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out)
    metadata = read_metadata(out)
    if metadata is None:
        raise FileNotFoundError(f"'{out}' holds no sweep (no metadata.json)")
    files = sorted(entry for entry in (out / "runs").iterdir() if RUN_FILE.match(entry.name))
    if files:
        frame = pa.concat_tables([pq.read_table(f) for f in files]).to_pandas()
        frame = frame.sort_values(["run_id", "step"], kind="stable").reset_index(drop=True)
    else:
        frame = pd.DataFrame(columns=["run_id", "point_id", "replicate", "seed", "step",
                                      *metadata.get("metrics", [])])
    frame.attrs["metadata"] = metadata
    frame.attrs["failed"] = [json.loads(f.read_text(encoding="utf-8"))
                             for f in sorted((out / "failed").glob("*.json"))]
    return frame
