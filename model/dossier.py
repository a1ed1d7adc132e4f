"""Dossiers: every observed event of every agent, stored as columns.

Each event is 18 bytes (step, agent, via: int32; points: float32; kind,
domain: int8), appended once per step as numpy chunks, so a million citizens
over 200 steps fit in memory. ``dossier_of(i)`` answers "why is this person
listed?" for one person.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .params import DOMAINS
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
    VIA_PARENT = 8  # their listed parent counted against them (via = citizen)
    TIE_CUT = 9  # a friend cut the tie (via = citizen)
    COMPANY_LISTED = 10  # (companies) listed
    SANCTIONED = 11  # restrictions applied in a domain


_COLUMNS = (("step", np.int32), ("agent", np.int32), ("kind", np.int8), ("domain", np.int8),
            ("points", np.float32), ("via", np.int32))


class Dossiers:
    """Columnar event log for one population (citizens or companies)."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self._chunks: list[tuple[np.ndarray, ...]] = []
        self._merged: tuple[np.ndarray, ...] | None = None

    def add(self, step: int, agent, kind, domain=-1, points=0.0, via=-1) -> None:
        """Append events for the agents in ``agent`` (scalars broadcast)."""
        if not self.enabled:
            return
        agent = np.asarray(agent, dtype=np.int32).ravel()
        if agent.size == 0:
            return
        size = agent.size
        values = (np.full(size, step, np.int32), agent,
                  np.broadcast_to(np.asarray(kind, np.int8), size).copy(),
                  np.broadcast_to(np.asarray(domain, np.int8), size).copy(),
                  np.broadcast_to(np.asarray(points, np.float32), size).copy(),
                  np.broadcast_to(np.asarray(via, np.int32), size).copy())
        self._chunks.append(values)
        self._merged = None

    def columns(self) -> dict[str, np.ndarray]:
        """All events as one dict of columns (merged lazily, cached until the next add)."""
        if self._merged is None:
            if self._chunks:
                self._merged = tuple(np.concatenate(col) for col in zip(*self._chunks))
                self._chunks = [self._merged]
            else:
                self._merged = tuple(np.zeros(0, dtype) for _, dtype in _COLUMNS)
        return {name: col for (name, _), col in zip(_COLUMNS, self._merged)}

    def __len__(self) -> int:
        return sum(chunk[0].size for chunk in self._chunks)

    @property
    def nbytes(self) -> int:
        return sum(col.nbytes for chunk in self._chunks for col in chunk)

    def of(self, agent: int) -> list[dict]:
        """The events of one agent, oldest first, as readable dicts."""
        cols = self.columns()
        rows = np.flatnonzero(cols["agent"] == agent)
        return [_describe({name: cols[name][r].item() for name in cols}) for r in rows]


def _describe(row: dict) -> dict:
    kind = Event(row["kind"])
    row["kind"] = kind.name.lower()
    row["domain"] = DOMAINS[row["domain"]] if row["domain"] >= 0 else None
    if kind is Event.LISTED:
        row["cause"] = Cause(row.pop("via")).label
    elif kind in (Event.VIA_CONTACT, Event.VIA_PARENT, Event.TIE_CUT):
        row["citizen"] = row.pop("via")
    elif kind is Event.VIA_COMPANY:
        row["company"] = row.pop("via")
    else:
        row.pop("via")
    return row
