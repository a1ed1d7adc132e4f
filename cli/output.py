"""Writing tables to disk atomically: a half-written file is never left behind."""

from __future__ import annotations

import os
from pathlib import Path

from trustcascade.experiments.storage import write_atomically  # one implementation for runs and sweeps
from trustcascade.model.schema import ParameterError

TABLE_SUFFIXES = (".parquet", ".csv")


def check_destination(path: str, flag: str, suffixes=TABLE_SUFFIXES) -> Path:
    """Refuse early (before a run) an output path that cannot be written."""
    target = Path(path)
    if target.suffix.lower() not in suffixes:
        raise ParameterError(flag, f"{flag} must end in {' or '.join(suffixes)}; got '{path}'")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ParameterError(flag, f"{flag} '{path}': folder '{folder}' does not exist")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ParameterError(flag, f"{flag} '{path}': not writable")
    if target.is_dir():
        raise ParameterError(flag, f"{flag} '{path}' is a folder; give a file name")
    return target


def reason(error: OSError) -> str:
    """Why a write failed, in a few words (``No space left on device``): for one-line errors."""
    return error.strerror or " ".join(str(error).split())[:200]


def write_table(frame, target: Path, metadata_json: str) -> None:
    """Write a DataFrame as Parquet (metadata in the file) or CSV (metadata beside it)."""
    if target.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"trustcascade": metadata_json.encode()})
        write_atomically(target, lambda tmp: pq.write_table(table, tmp))
    else:
        write_atomically(target, lambda tmp: frame.to_csv(tmp, index=False))
        sidecar = target.with_name(target.name + ".meta.json")
        write_atomically(sidecar, lambda tmp: tmp.write_text(metadata_json))
