"""The class's decisions as data: CSV (the decisions) and Parquet (decisions with the society's month).

``export.csv``: one row per seat, decision and month -- ``student, citizen, month, choice,
model_default, listed, score``. ``choice`` is the student's answer (``loan:default``), empty
when the student left it to the model; ``model_default`` is what the model drew for that
person that month from the same random numbers; ``listed`` and ``score`` are the citizen's
standing at the end of the month.

``export.parquet``: the same rows joined (on ``month`` = the model's ``step``) with the
society's per-step table (``TrustCascade.table()``), its columns prefixed ``society_``, and
the class's seed, preset and version in the file's metadata.
"""

from __future__ import annotations

import io

import pandas as pd

from trustcascade.model.provenance import run_metadata, to_json

COLUMNS = ("student", "citizen", "month", "choice", "model_default", "listed", "score")


def decisions_table(room) -> pd.DataFrame:
    with room.lock:
        rows = list(room.rows)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def decisions_csv(room) -> str:
    return decisions_table(room).to_csv(index=False)


def decisions_parquet(room) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    decisions = decisions_table(room)
    with room.lock:
        society = room.run.model.table()
        meta = run_metadata(room.meta["seed"], dict(room.run.model.params), room.meta["preset"],
                            room.run.model.schedule_of_changes, room.month)
    society = society.rename(columns={name: f"society_{name}" for name in society.columns})
    joined = decisions.merge(society, how="left", left_on="month", right_on="society_step")
    table = pa.Table.from_pandas(joined, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"trustcascade": to_json(meta).encode()})
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()
