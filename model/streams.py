"""One seed, one random stream per rule (common random numbers).

The run's seed feeds a :class:`numpy.random.SeedSequence`; each rule (and the
network builder) gets its own Generator keyed by the rule's *name*, not by its
position, so switching a rule off or adding a new one never reshuffles the
draws of the others, and two policies run with the same seed form a paired
comparison (Law, *Simulation Modeling and Analysis*, common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


def resolve_seed(seed) -> int:
    """Return an int seed; ``None`` draws fresh entropy (recorded so the run can be repeated)."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    if isinstance(seed, str):
        seed = seed.strip()
        if not seed.lstrip("-").isdigit():
            raise ValueError(f"seed must be a whole number; got {seed!r}")
        seed = int(seed)
    if isinstance(seed, (bool, float)) or int(seed) < 0:
        raise ValueError(f"seed must be a whole number >= 0; got {seed!r}")
    return int(seed)


def stream(seed: int, name: str) -> np.random.Generator:
    """The Generator for the rule called ``name`` in the run with ``seed``.

    >>> a = stream(1, "behave").random(); b = stream(1, "behave").random()
    >>> a == b
    True
    """
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(key,))))


class Streams:
    """Lazily created per-name Generators for one run."""

    def __init__(self, seed: int):
        self.seed = seed
        self._generators: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._generators:
            self._generators[name] = stream(self.seed, name)
        return self._generators[name]
