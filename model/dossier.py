"""Dossiers: every observed event of every agent, stored as columns.

Each event is 18 bytes (step, agent, via: int32; points: float32; kind,
domain: int8), appended once per step as numpy chunks, so a million citizens
over 200 steps fit in memory. ``dossier_of(i)`` answers "why is this person
listed?" for one person.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .domains import Domain
from .state import Cause


class Event(IntEnum):
    """What happened to an agent."""

    RECORD = 1  # a true violation recorded (domain, points lost)
    FALSE_RECORD = 2  # a record of a violation that did not happen
    REWARD = 3  # a good deed recorded (points gained)
    LISTED = 4  # listed; ``via`` holds the primary Cause
    DELISTED = 5
    VIA_CONTACT = 6  # a listed contact counted against them when listed (via = citizen)
    VIA_COMPANY = 7  # their listed company counted against them (via = company)
    VIA_FAMILY = 8  # a listed family member counted against them (via = citizen)
    TIE_CUT = 9  # a friend cut the tie (via = citizen)
    COMPANY_LISTED = 10  # (companies) listed
    DENIED = 11  # a service refused (``via`` = Service, ``domain`` column = the ListKind behind it)
    JUDGMENT = 12  # ordered by a court to pay (``points`` = minus the debt in yuan)
    PAID = 13  # paid the judgment debt while on the court list, and left it
    OBJECTION_FILED = 14  # objected to a record (domain, points of the record)
    OBJECTION_UPHELD = 15  # the objection was upheld: the record is removed (points given back)

    @property
    def label(self) -> str:
        """The name a dossier row carries as its ``kind`` (``"via_contact"``)."""
        return self.name.lower()

    @classmethod
    def named(cls, label: str) -> "Event":
        return cls[label.upper()]


_COLUMNS = (("step", np.int32), ("agent", np.int32), ("kind", np.int8), ("domain", np.int8),
            ("points", np.float32), ("via", np.int32))


class Dossiers:
    """Columnar event log for one population (citizens or companies)."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self._merged: tuple[np.ndarray, ...] | None = None

    def add(self, step: int, agent, kind, domain=-1, points=0.0, via=-1) -> None:
        """Append events for the agents in ``agent`` (scalars broadcast).

        A scalar column is kept as one value until the columns are read: most events of a
        step share their step, kind and often domain, points and via.
        """
        if not self.enabled:
            return
        agent = np.asarray(agent, dtype=np.int32).ravel()
        if agent.size == 0:
            return
        self._chunks.append((_column(step, np.int32), agent, _column(kind, np.int8), _column(domain, np.int8),
                             _column(points, np.float32), _column(via, np.int32)))
        self._merged = None

    def columns(self) -> dict[str, np.ndarray]:
        """All events as one dict of columns (merged lazily, cached until the next add)."""
        if self._merged is None:
            if self._chunks:
                self._merged = tuple(np.concatenate([_expanded(chunk[k], chunk[1].size, dtype) for chunk in self._chunks])
                                     for k, (_, dtype) in enumerate(_COLUMNS))
                self._chunks = [self._merged]
            else:
                self._merged = tuple(np.zeros(0, dtype) for _, dtype in _COLUMNS)
        return {name: col for (name, _), col in zip(_COLUMNS, self._merged)}

    def __len__(self) -> int:
        return sum(chunk[1].size for chunk in self._chunks)

    @property
    def nbytes(self) -> int:
        """Memory of the events once expanded (18 bytes each); scalar columns take less until read."""
        return len(self) * sum(np.dtype(dtype).itemsize for _, dtype in _COLUMNS)

    def of(self, agent: int) -> list[dict]:
        """The events of one agent, oldest first, as readable dicts."""
        cols = self.columns()
        rows = np.flatnonzero(cols["agent"] == agent)
        return [_describe({name: cols[name][r].item() for name in cols}) for r in rows]


def _column(value, dtype):
    """A column of values as a flat ``dtype`` array; a scalar kept as it is (a dozen calls a
    step: ``np.ndim`` and ``np.asarray`` on each value cost 20 us a call)."""
    if isinstance(value, np.ndarray):
        return value.astype(dtype, copy=False).ravel() if value.ndim else value
    if isinstance(value, (list, tuple)):
        return np.asarray(value, dtype).ravel()
    return value


def _expanded(column, size: int, dtype) -> np.ndarray:
    return column if np.ndim(column) else np.full(size, column, dtype)


def _describe(row: dict) -> dict:
    from .institutions import ListKind, Service

    kind = Event(row["kind"])
    row["kind"] = kind.label
    on_a_list = kind in (Event.LISTED, Event.DELISTED, Event.DENIED, Event.PAID, Event.COMPANY_LISTED)
    code = row.pop("domain")
    if on_a_list:  # the domain column holds the list (ListKind) for these events
        row["list"] = ListKind(code).label if code >= 0 else None
        row["domain"] = None
    else:
        row["domain"] = Domain(code).label if code >= 0 else None
    if kind is Event.LISTED:
        row["cause"] = Cause(row.pop("via")).label
    elif kind in (Event.VIA_CONTACT, Event.VIA_FAMILY, Event.TIE_CUT):
        row["citizen"] = row.pop("via")
    elif kind is Event.VIA_COMPANY:
        row["company"] = row.pop("via")
    elif kind is Event.DENIED:
        row["service"] = Service(row.pop("via")).label
    else:
        row.pop("via")
    return row
