"""Experiment files: TOML read and checked against the parameter schema before anything runs.

An experiment file has four sections (``[experiment]``, ``[fixed]``, ``[factors]``,
``[output]``) and an optional ``[schedule]``; docs/sweeps.md, section 1, shows one.
Every refusal is one line, ``FILE: FIELD: what is wrong``, raised as
:class:`~trustcascade.model.schema.ParameterError` whose ``name`` is the field, so the
command line exits with code 2 before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from trustcascade.model import presets
from trustcascade.model.interventions import check_changeable, merge
from trustcascade.model.metrics import COLUMNS
from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError, _unknown
from trustcascade.model.provenance import install_hint

from .design import DESIGNS, Design, Factor, build_design
from .sizing import BYTES_PER_GRID_VALUE, check_memory, fits

SECTIONS = ("experiment", "fixed", "factors", "schedule", "output")
EXPERIMENT_KEYS = ("name", "description", "preset", "steps", "replicates", "seed", "common_seeds", "design",
                   "samples", "levels", "second_order")
OUTPUT_KEYS = ("metrics", "every")
METRICS = tuple(c for c in COLUMNS if c != "step")


@dataclass(frozen=True)
class Experiment:
    """A checked experiment: what to vary, how often to repeat, what to record.

    ``base`` holds the preset's parameters overlaid with ``[fixed]``; each design point's
    values go on top of it. ``every`` is a step interval, or ``None`` for the final step only.
    """

    name: str
    steps: int
    replicates: int
    seed: int
    design: Design
    base: dict
    schedule: dict
    metrics: tuple
    every: int | None
    text: str
    source: str
    preset: str | None = None
    description: str = ""
    common_seeds: bool = True
    sections: dict = field(default_factory=dict, repr=False)

    @property
    def points(self) -> list[dict]:
        return self.design.points

    def run_inputs(self, point: dict) -> tuple[dict, dict, dict]:
        """One design point as ``(params, schedule, scheduled)``: the parameters at the start,
        the schedule of changes (``[schedule]`` with the point's scheduled factors on top), and the
        scheduled factors' values (``{"60:shock_companies": 1}``), which the runs record as columns."""
        params, changes, scheduled = dict(self.base), {}, {}
        for key, value in point.items():
            step, name = scheduled_factor(key)
            if step is None:
                params[key] = value
            else:
                changes.setdefault(step, {})[name] = value
                scheduled[key] = value
        return params, merge(self.schedule, changes), scheduled

    @property
    def fingerprint(self) -> str:
        """A hash of the parsed file (comments and spacing aside): same fingerprint, same runs."""
        return fingerprint(self.sections)

    def input_files(self) -> list[str]:
        """The files the runs read (``graph_file``, ``memoranda_file`` in ``[fixed]`` or a factor), sorted."""
        named = {point.get(key, self.base.get(key, "")) for point in self.points
                 for key in ("graph_file", "memoranda_file")}
        return sorted(path for path in named if path)

    def input_fingerprints(self) -> dict:
        """``{path: sha256 prefix}`` of :meth:`input_files` (``"missing"`` for a file not there),
        recorded in metadata.json so a resumed sweep whose inputs changed is refused."""
        return {path: file_fingerprint(path) for path in self.input_files()}


def fingerprint(sections: dict) -> str:
    """A hash of a parsed TOML file: the same tables and values give the same hash."""
    canonical = json.dumps(sections, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def file_fingerprint(path: str) -> str:
    """A hash of a file's bytes (the first 16 hex digits of its SHA-256), or ``"missing"``."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "missing"
    return digest.hexdigest()[:16]


def scheduled_factor(key: str) -> tuple[int | None, str]:
    """``"60:shock_companies"`` -> ``(60, "shock_companies")``; a plain parameter name -> ``(None, key)``.

    A scheduled factor varies the value a parameter takes at the start of a step (like
    ``--at 60:shock_companies=1``), so "with" and "without" an intervention are two design points
    run with the same seeds: a paired comparison.
    """
    step, sep, name = key.partition(":")
    if not sep:
        return None, key
    return (int(step) if step.strip().isdigit() else -1), name.strip()


class _Reader:
    """Checks one file, naming ``FILE: FIELD`` in every refusal."""

    def __init__(self, source: str):
        self.source = source

    def refuse(self, name: str, message: str) -> ParameterError:
        return ParameterError(name, f"{self.source}: {name}: {message}")

    def head(self, sections: dict, section: str, allowed_sections, keys) -> tuple[dict, str, str]:
        """Check that every top-level entry is a known section and read the file's head table
        ``[section]`` (only ``keys``): return it with its ``name`` and ``description``."""
        for name, value in sections.items():
            if not isinstance(value, dict):
                raise self.refuse(name, f"is outside any section; put it under [{section}] or another section")
            if name not in allowed_sections:
                raise self.refuse(name, f"unknown section [{name}]; allowed: {', '.join(allowed_sections)}")
        head = self.table(sections, section, required=True)
        self.only(head, section, keys)
        name = head.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.refuse(f"{section}.name", f"must be a non-empty string; got {name!r}")
        description = head.get("description", "")
        if not isinstance(description, str):
            raise self.refuse(f"{section}.description", f"must be a string; got {description!r}")
        return head, name, description

    def table(self, sections: dict, name: str, required: bool) -> dict:
        if name not in sections:
            if required:
                raise self.refuse(name, f"missing section [{name}]")
            return {}
        if not isinstance(sections[name], dict):
            raise self.refuse(name, f"[{name}] must be a table of NAME = VALUE lines")
        return sections[name]

    def only(self, section: dict, name: str, allowed: tuple) -> None:
        for key in section:
            if key not in allowed:
                raise self.refuse(f"{name}.{key}", f"unknown key; allowed: {', '.join(allowed)}")

    def whole(self, section: dict, key: str, name: str, minimum: int, default=None) -> int:
        value = section.get(key, default)
        if value is None:
            raise self.refuse(f"{name}.{key}", f"missing; give a whole number >= {minimum}")
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.refuse(f"{name}.{key}", f"must be a whole number >= {minimum}; got {value!r}")
        return value

    def preset(self, preset_name, name: str):
        """The preset called ``preset_name`` (None for none), looked up in the registry now."""
        if preset_name is None:
            return None
        try:
            return presets.get(str(preset_name))
        except ParameterError as error:
            raise self.refuse(name, str(error)) from None

    def base(self, chosen, fixed: dict) -> dict:
        """The preset's parameters overlaid with the checked ``[fixed]`` values."""
        base = dict(chosen.params) if chosen else {}
        for key, value in fixed.items():
            base[key] = self.parameter(f"fixed.{key}", key, value)
        return base

    def parameter(self, name: str, key: str, value):
        """A schema-checked value of parameter ``key``, refused as field ``name``."""
        try:
            return SCHEMA[key].check(value)
        except ParameterError as error:
            raise self.refuse(name, str(error)) from None


def read_experiment(path: str | Path) -> Experiment:
    """Read and check an experiment file; raise ParameterError (one line) if anything is wrong.

    A bare name that is no file here, such as ``amnesty``, is the built-in experiment of that name
    (``experiments/*.toml``, shipped with the package: :func:`built_in`).
    """
    path = Path(path)
    if not path.exists() and path.parent == Path(".") and path.stem in built_in():
        path = built_in()[path.stem]
    text, sections = read_toml(path, "experiment file", f" (built-in experiments: {', '.join(built_in())})")
    return parse_experiment(sections, text, _Reader(path.name))


def read_toml(path: Path, kind: str, hint: str = "") -> tuple[str, dict]:
    """The text of TOML file ``path`` and its tables, or a one-line ParameterError (field ``FILE``)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not a UTF-8 text file"
        raise ParameterError("FILE", f"{kind} '{path}': {reason}{hint}") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ParameterError("FILE", f"{path.name}: not valid TOML: {error}") from None


def built_in() -> dict[str, Path]:
    """The experiment files shipped with the package, by name (file name without ``.toml``)."""
    from importlib import resources

    folder = resources.files("trustcascade.experiments")
    return {Path(entry.name).stem: Path(str(entry)) for entry in sorted(folder.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".toml")}


def parse_experiment(sections: dict, text: str, reader: _Reader) -> Experiment:
    head, name, description = reader.head(sections, "experiment", SECTIONS, EXPERIMENT_KEYS)
    steps = reader.whole(head, "steps", "experiment", 1)
    replicates = reader.whole(head, "replicates", "experiment", 1, default=1)
    seed = reader.whole(head, "seed", "experiment", 0)
    common_seeds = _flag(reader, head, "common_seeds", True)
    preset_name = head.get("preset")
    chosen = reader.preset(preset_name, "experiment.preset")
    design_name = head.get("design", "grid")
    if design_name not in DESIGNS:
        raise reader.refuse("experiment.design", f"must be one of {', '.join(DESIGNS)}; got {design_name!r}")

    fixed = reader.table(sections, "fixed", required=False)
    base = reader.base(chosen, fixed)
    factors = [_factor(reader, key, spec, design_name, steps) for key, spec in
               reader.table(sections, "factors", required=True).items()]
    schedule = _schedule(reader, reader.table(sections, "schedule", required=False), steps)
    for factor in factors:
        if factor.name in fixed:
            raise reader.refuse(f"factors.{factor.name}", "also set in [fixed]; set it in one place")
        step, param = scheduled_factor(factor.name)
        if step is not None and param in schedule.get(step, {}):
            raise reader.refuse(f"factors.{factor.name}", f"also set in [schedule] at step {step}; "
                                "set it in one place")
    _refuse_repeated_factors(reader, factors)
    metrics, every = _output(reader, reader.table(sections, "output", required=True))

    options = {}
    if design_name != "grid":
        options["samples"] = reader.whole(head, "samples", "experiment", 1)
        if design_name == "sobol" and options["samples"] & (options["samples"] - 1):
            raise reader.refuse("experiment.samples", "must be a power of 2 for design = \"sobol\" (the "
                                f"Sobol' sequence is balanced only then); got {options['samples']}")
        if design_name == "morris":
            options["levels"] = reader.whole(head, "levels", "experiment", 2, default=4)
        if design_name == "sobol":
            options["second_order"] = _flag(reader, head, "second_order", False)
        if not factors:
            raise reader.refuse("factors", f"design = \"{design_name}\" needs at least one factor")
    check_memory(reader, design_name, factors, options, replicates, steps)
    try:
        design = build_design(design_name, factors, seed, **options)
    except ImportError:
        raise reader.refuse("experiment.design", f"design = \"{design_name}\" needs SALib: "
                            + install_hint("sweeps")) from None
    for point_id, point in enumerate(design.points):
        try:
            SCHEMA.resolve({**base, **{k: v for k, v in point.items() if scheduled_factor(k)[0] is None}})
        except ParameterError as error:
            shown = ", ".join(f"{k}={v!r}" for k, v in point.items())
            raise reader.refuse(f"factors.{error.name}", f"design point {point_id} ({shown}): {error}") from None
    return Experiment(name=name, steps=steps, replicates=replicates, seed=seed, design=design, base=base,
                      schedule=merge(chosen.schedule if chosen else {}, schedule), metrics=metrics,
                      every=every, text=text, source=reader.source, preset=preset_name,
                      description=description, common_seeds=common_seeds, sections=sections)


def _refuse_repeated_factors(reader: _Reader, factors: list) -> None:
    """Refuse one parameter (or one scheduled parameter at one step) named by two factors, e.g.
    ``"2:x"`` and ``" 2:x"``: TOML keeps both, and the later would silently win."""
    seen: dict = {}
    for factor in factors:
        step, key = scheduled_factor(factor.name)
        identity = (step, key.strip())
        if identity in seen:
            raise reader.refuse(f"factors.{factor.name}", f"names the same parameter as "
                                f"{seen[identity]!r}; give it once")
        seen[identity] = factor.name


def _flag(reader: _Reader, section: dict, key: str, default: bool) -> bool:
    value = section.get(key, default)
    if not isinstance(value, bool):
        raise reader.refuse(f"experiment.{key}", f"must be true or false; got {value!r}")
    return value


def _factor(reader: _Reader, factor_name: str, spec, design: str, steps: int, section: str = "factors") -> Factor:
    """A factor over a parameter's start value (``name``) or its value from a step on (``"STEP:name"``).

    ``section`` names the table in refusals (calibration files read their ``[priors]`` with it)."""
    name = f"{section}.{factor_name}"
    step, key = scheduled_factor(factor_name)
    param = SCHEMA.params.get(key)
    if param is None:
        raise reader.refuse(name, _unknown(key, SCHEMA.params))
    if step is not None:
        if not 1 <= step <= steps:
            raise reader.refuse(name, f"a scheduled factor is \"STEP:NAME\" with STEP from 1 to "
                                f"experiment.steps = {steps}; got {factor_name!r}")
        try:
            check_changeable(key)
        except ParameterError as error:
            raise reader.refuse(name, str(error).replace("--set", "a plain factor")) from None
    if isinstance(spec, list):
        if not spec:
            raise reader.refuse(name, "give at least one value")
        values = tuple(reader.parameter(name, key, value) for value in spec)
        if len(set(values)) != len(values):
            raise reader.refuse(name, f"values repeat: {list(spec)!r}")
        return Factor(factor_name, values=values)
    if not isinstance(spec, dict):
        raise reader.refuse(name, "must be a list of values or a table { min = ..., max = ..., points = ... }")
    reader.only(spec, name, ("min", "max", "points"))
    if param.type not in (int, float):
        raise reader.refuse(name, f"parameter '{key}' is {param.allowed()}: give a list of values, not a range")
    for bound in ("min", "max"):
        if bound not in spec:
            raise reader.refuse(f"{name}.{bound}", "missing; a range needs min and max")
    low = reader.parameter(f"{name}.min", key, spec["min"])
    high = reader.parameter(f"{name}.max", key, spec["max"])
    if not low < high:
        raise reader.refuse(name, f"min must be < max; got min = {low!r}, max = {high!r}")
    points = None
    if design == "grid" or "points" in spec:
        points = reader.whole(spec, "points", name, 2)
        fits(reader, f"{name}.points", f"a grid of {points} points", points * BYTES_PER_GRID_VALUE)
    factor = Factor(factor_name, low=low, high=high, points=points, whole=param.type is int)
    if design == "grid" and len(factor.grid()) < points:
        raise reader.refuse(f"{name}.points", f"{points} points between {low} and {high} repeat whole "
                            f"numbers; use points <= {high - low + 1}")
    return factor


def _schedule(reader: _Reader, section: dict, steps: int) -> dict:
    schedule: dict[int, dict] = {}
    for key, changes in section.items():
        name = f"schedule.{key}"
        if not key.strip().isdigit() or not 1 <= int(key) <= steps:
            raise reader.refuse(name, f"must be a step from 1 to experiment.steps = {steps}; got {key!r}")
        if not isinstance(changes, dict) or not changes:
            raise reader.refuse(name, "must be a table of changes, e.g. { listing_duration = 1 }")
        for param, value in changes.items():
            try:
                check_changeable(param)
            except ParameterError as error:
                raise reader.refuse(f"{name}.{param}", str(error).replace("--set", "[fixed]")) from None
            schedule.setdefault(int(key), {})[param] = reader.parameter(f"{name}.{param}", param, value)
    return schedule


def _output(reader: _Reader, section: dict) -> tuple[tuple, int | None]:
    reader.only(section, "output", OUTPUT_KEYS)
    metrics = section.get("metrics")
    if not isinstance(metrics, list) or not metrics or not all(isinstance(m, str) for m in metrics):
        raise reader.refuse("output.metrics", "must be a non-empty list of metric names, e.g. "
                            "[\"listed_share\", \"collateral_share\"]")
    for metric in metrics:
        if metric not in METRICS:
            hint = _unknown(metric, METRICS).replace("parameter", "metric").replace(
                "see `trustcascade params`", "see the per-step table in docs/researchers.md")
            raise reader.refuse("output.metrics", hint)
    if len(set(metrics)) != len(metrics):
        raise reader.refuse("output.metrics", f"metrics repeat: {metrics!r}")
    every = section.get("every", "final")
    if every == "final":
        return tuple(metrics), None
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise reader.refuse("output.every", f"must be a step interval >= 1 or \"final\"; got {every!r}")
    return tuple(metrics), every
