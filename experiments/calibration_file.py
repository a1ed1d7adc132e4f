"""Calibration files: TOML read and checked against the parameter schema before anything runs.

A calibration file has five sections (docs/calibration.md, "Calibrating with trustcascade
calibrate")::

    [calibration]   name, preset, steps, seed
    [fixed]         parameters held at a value
    [priors]        NAME = { min = ..., max = ... } (uniform) or NAME = [a, b, ...] (categorical)
    [targets]       COLUMN = { steps = [...], values = [...] }: observed per-step metrics
                    (optionally cumulative = true, per_capita = true)
    [method]        populations, particles, replicates

It is read like an experiment file (:mod:`.files`): every refusal is one line,
``FILE: FIELD: what is wrong``, so the command line exits with code 2 before anything is
written. Preset names and metric columns are looked up in the registries when the file is read,
so presets and columns added to the model are accepted without changes here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from trustcascade.model.interventions import merge
from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError, _unknown

from .design import Factor
from .files import _factor, _Reader, fingerprint, read_toml, scheduled_factor

SECTIONS = ("calibration", "fixed", "priors", "targets", "method")
HEAD_KEYS = ("name", "description", "preset", "steps", "seed")
METHOD_KEYS = ("populations", "particles", "replicates")
MIN_PARTICLES = 10  # pyabc fits a kernel density to the particles; fewer makes it degenerate


@dataclass(frozen=True)
class Target:
    """Observed values of one per-step metric column at given steps; optionally of its running
    sum (``cumulative``: published totals to date) and divided by ``n_citizens``
    (``per_capita``: a national count scaled to the model's society)."""

    column: str
    steps: tuple
    values: tuple
    cumulative: bool = False
    per_capita: bool = False

    def keys(self) -> list[str]:
        """Summary-statistic names, ``column@step``, as stored in pyabc's history."""
        return [f"{self.column}@{step}" for step in self.steps]

    @property
    def name(self) -> str:
        """The compared series: the column, or e.g. ``denied_flights (cumulative, per capita)``."""
        how = [word for word, on in (("cumulative", self.cumulative), ("per capita", self.per_capita)) if on]
        return f"{self.column} ({', '.join(how)})" if how else self.column

    def series(self, table, n_citizens: int):
        """The compared series of one run's per-step table."""
        values = table[self.column]
        if self.cumulative:
            values = values.cumsum()
        return values / n_citizens if self.per_capita else values


@dataclass(frozen=True)
class Calibration:
    """A checked calibration: what is fixed, what is estimated, what is observed, how hard to try."""

    name: str
    steps: int
    seed: int
    base: dict
    schedule: dict
    priors: tuple
    targets: tuple
    populations: int
    particles: int
    replicates: int
    text: str
    source: str
    preset: str | None = None
    description: str = ""
    sections: dict = field(default_factory=dict, repr=False)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sections)

    @property
    def observed(self) -> dict:
        """The targets as pyabc's observed summary statistics, ``{"column@step": value}``."""
        return {key: value for target in self.targets for key, value in zip(target.keys(), target.values)}

    @property
    def parameter_names(self) -> list[str]:
        return [prior.name for prior in self.priors]

    def parameters(self, sampled: dict) -> dict:
        """pyabc's sampled coordinates as parameter values (whole numbers rounded down, list
        priors mapped from the unit interval to their values: :meth:`Factor.value`)."""
        return {prior.name: prior.value(float(sampled[prior.name])) for prior in self.priors}


def read_calibration(path: str | Path) -> Calibration:
    """Read and check a calibration file; raise ParameterError (one line) if anything is wrong."""
    path = Path(path)
    text, sections = read_toml(path, "calibration file")
    return parse_calibration(sections, text, _Reader(path.name))


def parse_calibration(sections: dict, text: str, reader: _Reader) -> Calibration:
    head, name, description = reader.head(sections, "calibration", SECTIONS, HEAD_KEYS)
    steps = reader.whole(head, "steps", "calibration", 1)
    seed = reader.whole(head, "seed", "calibration", 0)
    chosen = reader.preset(head.get("preset"), "calibration.preset")
    fixed = reader.table(sections, "fixed", required=False)
    base = reader.base(chosen, fixed)
    priors = _priors(reader, reader.table(sections, "priors", required=True), fixed, steps)
    _check_corners(reader, base, priors)
    targets = _targets(reader, reader.table(sections, "targets", required=True), steps)
    method = reader.table(sections, "method", required=True)
    reader.only(method, "method", METHOD_KEYS)
    return Calibration(name=name, steps=steps, seed=seed, base=base, schedule=merge(chosen.schedule if chosen
                       else {}, {}), priors=priors, targets=targets,
                       populations=reader.whole(method, "populations", "method", 1),
                       particles=reader.whole(method, "particles", "method", MIN_PARTICLES),
                       replicates=reader.whole(method, "replicates", "method", 1, default=1),
                       text=text, source=reader.source, preset=head.get("preset"), description=description,
                       sections=sections)


def _priors(reader: _Reader, section: dict, fixed: dict, steps: int) -> tuple:
    if not section:
        raise reader.refuse("priors", "give at least one parameter to estimate, e.g. "
                            "surveillance_coverage = { min = 0.1, max = 0.9 }")
    priors = []
    for key, spec in section.items():
        if scheduled_factor(key)[0] is not None:
            raise reader.refuse(f"priors.{key}", "a prior is over a parameter's value for the whole run; "
                                "give a parameter name without STEP:")
        if key in fixed:
            raise reader.refuse(f"priors.{key}", "also set in [fixed]; set it in one place")
        if isinstance(spec, dict) and "points" in spec:
            raise reader.refuse(f"priors.{key}.points", "a prior is { min = ..., max = ... } (uniform) "
                                "or a list of values; points belong to sweeps")
        priors.append(_factor(reader, key, spec, "prior", steps, section="priors"))
    return tuple(priors)


def _check_corners(reader: _Reader, base: dict, priors: tuple[Factor, ...]) -> None:
    """Each prior's extremes must make a valid society with the fixed parameters."""
    for prior in priors:
        ends = (prior.values if prior.categorical else (prior.low, prior.high))
        for value in ends:
            try:
                SCHEMA.resolve({**base, prior.name: value})
            except ParameterError as error:
                raise reader.refuse(f"priors.{prior.name}", f"at {value!r}: {error}") from None


def _targets(reader: _Reader, section: dict, steps: int) -> tuple:
    from .files import METRICS

    if not section:
        raise reader.refuse("targets", "give at least one observed column, e.g. "
                            "listed_share = { steps = [51, 60], values = [0.0061, 0.0110] }")
    targets = []
    for column, spec in section.items():
        name = f"targets.{column}"
        if column not in METRICS:
            hint = _unknown(column, METRICS).replace("parameter", "metric column").replace(
                "see `trustcascade params`", "see the per-step table in docs/researchers.md")
            raise reader.refuse(name, hint)
        if not isinstance(spec, dict):
            raise reader.refuse(name, "must be a table { steps = [...], values = [...] }")
        reader.only(spec, name, ("steps", "values", "cumulative", "per_capita"))
        at, values = spec.get("steps"), spec.get("values")
        for flag in ("cumulative", "per_capita"):
            if not isinstance(spec.get(flag, False), bool):
                raise reader.refuse(f"{name}.{flag}", f"must be true or false; got {spec[flag]!r}")
        if not isinstance(at, list) or not at or not all(isinstance(s, int) and not isinstance(s, bool)
                                                         and 1 <= s <= steps for s in at):
            raise reader.refuse(f"{name}.steps", f"must be a non-empty list of steps from 1 to "
                                f"calibration.steps = {steps}; got {at!r}")
        if len(set(at)) != len(at):
            raise reader.refuse(f"{name}.steps", f"steps repeat: {at!r}")
        if not isinstance(values, list) or len(values) != len(at) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in values):
            raise reader.refuse(f"{name}.values", f"must be {len(at)} finite numbers, one per step; "
                                f"got {values!r}")
        targets.append(Target(column, tuple(at), tuple(float(v) for v in values),
                              spec.get("cumulative", False), spec.get("per_capita", False)))
    return tuple(targets)
