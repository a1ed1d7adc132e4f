"""Writing tables to disk atomically: a half-written file is never left behind."""

from __future__ import annotations

import os
from pathlib import Path

from trustcascade.experiments.storage import name_limit, write_all_atomically  # one implementation for runs and sweeps
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
    limit = name_limit(folder)
    name_bytes = len(target.name.encode()) + (len(".meta.json") if target.suffix.lower() == ".csv" else 0)
    if name_bytes > limit:
        raise ParameterError(flag, f"{flag}: file name too long ({name_bytes} bytes, counting a CSV's "
                             f".meta.json; the file system allows {limit})")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ParameterError(flag, f"{flag} '{path}': not writable")
    if target.is_dir():
        raise ParameterError(flag, f"{flag} '{path}' is a folder; give a file name")
    return target


def check_distinct(outputs: dict) -> None:
    """Refuse two flags naming the same file (one would overwrite the other): ``{flag: path}``."""
    named = [(flag, Path(path)) for flag, path in outputs.items() if path]
    for k, (flag, path) in enumerate(named):
        for other, earlier in named[:k]:
            if _same_file(path, earlier):
                raise ParameterError(flag, f"{flag} and {other} name the same file '{path}'; give each its own")


def _same_file(a: Path, b: Path) -> bool:
    """Same path once resolved (links, ``..``), or an existing file reached by both (hard links,
    case-insensitive file systems)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def reason(error: OSError) -> str:
    """Why a write failed, in a few words (``No space left on device``): for one-line errors."""
    return error.strerror or " ".join(str(error).split())[:200]


def table_outputs(frame, target: Path, metadata_json: str) -> list:
    """``(path, write)`` pairs writing a DataFrame as Parquet (metadata in the file) or CSV
    (metadata beside it, ``FILE.csv.meta.json``); give them to :func:`write_all_atomically`."""
    if target.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               b"trustcascade": metadata_json.encode()})
        return [(target, lambda tmp: pq.write_table(table, tmp))]
    sidecar = target.with_name(target.name + ".meta.json")
    return [(target, lambda tmp: frame.to_csv(tmp, index=False)),
            (sidecar, lambda tmp: tmp.write_text(metadata_json))]


def write_table(frame, target: Path, metadata_json: str) -> None:
    """Write a DataFrame as Parquet (metadata in the file) or CSV (metadata beside it)."""
    write_all_atomically(table_outputs(frame, target, metadata_json))
