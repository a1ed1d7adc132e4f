"""Experimental designs: which parameter combinations (design points) a sweep runs.

- ``grid``: every combination of the factors' values (full factorial).
- ``lhs``: Latin hypercube sample of ``samples`` points (McKay, Beckman & Conover 1979).
- ``sobol``: Saltelli's extension of the Sobol' sequence, N x (D + 2) points, or N x (2D + 2) with
  second-order indices (Saltelli 2002; Saltelli et al. 2010), for Sobol' sensitivity indices.
- ``morris``: N elementary-effect trajectories of D + 1 points on a ``levels``-level grid
  (Morris 1991; Campolongo et al. 2007).

The three sampled designs come from SALib (Herman & Usher 2017). A categorical factor (a list of
values) is sampled on the unit interval and the sample is mapped to the list index, so each value
gets an equal share of [0, 1). A whole-number range [min, max] is sampled on [min, max + 1) and
rounded down, so each whole number gets an equal share. The design's own seed is derived from the
experiment seed, so the same file always gives the same points.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

DESIGNS = ("grid", "lhs", "sobol", "morris")
DESIGN_STREAM = (0xD351, 0x6E, 0)  # spawn key of the design's stream; runs use keys of length 1 or 2


@dataclass(frozen=True)
class Factor:
    """A parameter the experiment varies: a list of ``values``, or a range ``low``..``high``."""

    name: str
    values: tuple | None = None
    low: float | None = None
    high: float | None = None
    points: int | None = None
    whole: bool = False

    @property
    def categorical(self) -> bool:
        return self.values is not None

    def grid(self) -> list:
        """The values a grid design takes: the list, or ``points`` evenly spaced over the range."""
        if self.categorical:
            return list(self.values)
        spaced = np.linspace(self.low, self.high, self.points)
        if self.whole:
            return sorted({int(v) for v in np.round(spaced)})
        return [float(v) for v in spaced]

    def bounds(self) -> list[float]:
        """SALib bounds: the unit interval for lists, [min, max + 1) for whole numbers."""
        if self.categorical:
            return [0.0, 1.0]
        return [float(self.low), float(self.high) + 1.0] if self.whole else [float(self.low), float(self.high)]

    def value(self, sampled: float):
        """The parameter value a sampled coordinate stands for."""
        if self.categorical:
            return self.values[min(int(sampled * len(self.values)), len(self.values) - 1)]
        if self.whole:
            return min(int(np.floor(sampled)), int(self.high))
        return float(sampled)


@dataclass(frozen=True)
class Design:
    """The design points (``{factor: value}`` dicts, in point_id order) and how they were made.

    For sampled designs ``problem`` is SALib's problem dict and ``sample`` the raw matrix
    (one row per point), which SALib's analysers need back in the same order.
    """

    name: str
    factors: tuple
    points: list = field(repr=False)
    problem: dict | None = None
    sample: np.ndarray | None = field(default=None, repr=False)
    options: dict = field(default_factory=dict)


def design_seed(seed: int) -> int:
    """The design's seed, derived from the experiment seed and distinct from every run's."""
    return int(np.random.SeedSequence(seed, spawn_key=DESIGN_STREAM).generate_state(1)[0])


def build_design(name: str, factors: list[Factor], seed: int, samples: int | None = None,
                 levels: int = 4, second_order: bool = False) -> Design:
    """The design points of design ``name`` over ``factors``."""
    factors = tuple(factors)
    if name == "grid":
        names = [f.name for f in factors]
        points = [dict(zip(names, combo)) for combo in itertools.product(*(f.grid() for f in factors))]
        return Design(name, factors, points)
    problem = {"num_vars": len(factors), "names": [f.name for f in factors],
               "bounds": [f.bounds() for f in factors]}
    sample = _salib_sample(name, problem, samples, design_seed(seed), levels, second_order)
    points = [{f.name: f.value(x) for f, x in zip(factors, row)} for row in sample]
    options = {"samples": samples}
    if name == "morris":
        options["levels"] = levels
    if name == "sobol":
        options["second_order"] = second_order
    return Design(name, factors, points, problem, sample, options)


def _salib_sample(name: str, problem: dict, samples: int, seed: int, levels: int,
                  second_order: bool) -> np.ndarray:
    if name == "lhs":
        from SALib.sample import latin

        return latin.sample(problem, samples, seed=seed)
    if name == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, samples, calc_second_order=second_order, seed=seed)
    if name == "morris":
        from SALib.sample import morris

        return morris.sample(problem, samples, num_levels=levels, seed=seed)
    raise ValueError(f"unknown design {name!r}; choose one of {', '.join(DESIGNS)}")
