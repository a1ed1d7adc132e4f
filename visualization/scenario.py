"""The page's state as a link: preset, seed, changed parameters and the compared policies.

A teacher sets up a scenario and hands out the address; opening it rebuilds the same
society, stepping the same way (same seed). The query string holds ``preset``, ``seed``,
each parameter that differs from the preset by its schema name, and for compare mode
``compare=NAME&a=VALUE&b=VALUE``. Every value goes through the schema (``Param.parse``
and ``SCHEMA.resolve``); a bad entry is left out with a one-line message naming it.

>>> Scenario("domain-local", {"mean_degree": 4.0}, 7).query()
'preset=domain-local&seed=7&mean_degree=4'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from trustcascade.model.params import SCHEMA
from trustcascade.model.presets import PRESETS
from trustcascade.model.schema import ParameterError

from .controls import HIDDEN, shown
from .live import effective_params

DEFAULT_PRESET = "restrictions-everywhere"
DEFAULT_SEED = 1
DEFAULT_POLICIES = ("sanction_scope", "joint", "local")
"""Compare mode starts with the policy the model is about: joint vs domain-local sanctions."""
RESERVED = ("preset", "seed", "compare", "a", "b")
MAX_SEED = 2**63
MAX_DRAWN = 200_000
"""Largest society the page builds and draws (the schema allows more for batch runs)."""


def check_drawable(name: str, value) -> None:
    """Refuse, in one line, a society too large for the page."""
    if name == "n_citizens" and value > MAX_DRAWN:
        raise ParameterError(name, f"the page draws at most {MAX_DRAWN:,} citizens; got {value:,} "
                                   "(use `trustcascade run` for larger societies)")


def parse_seed(text: str) -> int:
    """A seed from a link or the seed field: a whole number in [0, 2**63), else a one-line refusal
    (a 5,000-digit number is refused before Python's int() would raise on it)."""
    text = text.strip()
    shown = text if len(text) <= 24 else f"{text[:20]}... ({len(text)} characters)"
    if not (text.isdigit() and text.isascii()):
        raise ParameterError("seed", f"seed must be a whole number >= 0; got {shown!r}")
    if len(text) > 19 or int(text) >= MAX_SEED:
        raise ParameterError("seed", f"seed must be below 2**63 (at most 19 digits); got {shown!r}")
    return int(text)


@dataclass(frozen=True)
class Policies:
    """The parameter compare mode varies, and its value in society A and in society B."""

    name: str
    a: object
    b: object

    def label(self, which: str) -> str:
        return f"{which}: {self.name} = {shown(self.a if which == 'A' else self.b)}"


@dataclass(frozen=True)
class Scenario:
    """What a link restores. ``compare`` is None for one society."""

    preset: str = DEFAULT_PRESET
    overrides: dict = field(default_factory=dict)
    seed: int = DEFAULT_SEED
    compare: Policies | None = None

    def overrides_for(self, which: str) -> dict:
        """Parameters of society ``which`` ("A", "B", or "" for the single society)."""
        if self.compare is None or which not in ("A", "B"):
            return dict(self.overrides)
        return {**self.overrides, self.compare.name: self.compare.a if which == "A" else self.compare.b}

    def query(self) -> str:
        """The query string of a link to this scenario."""
        items = [("preset", self.preset), ("seed", str(self.seed))]
        items += [(name, shown(value)) for name, value in self.overrides.items()]
        if self.compare is not None:
            items += [("compare", self.compare.name), ("a", shown(self.compare.a)), ("b", shown(self.compare.b))]
        return urlencode(items)

    def with_(self, **changes) -> "Scenario":
        return replace(self, **changes)


def offered(name: str) -> bool:
    """Whether the page offers parameter ``name`` (not the server-file ones)."""
    return name in {p.name for p in SCHEMA} and not (name in HIDDEN and HIDDEN[name] is None)


def parse_value(name: str, text: str):
    """``text`` parsed by the schema for parameter ``name`` (one-line ParameterError if refused)."""
    if not offered(name):
        raise ParameterError(name, f"unknown parameter '{name}' in the link")
    value = SCHEMA[name].parse(text)
    check_drawable(name, value)
    if HIDDEN.get(name) is not None and value == HIDDEN[name]:
        raise ParameterError(name, f"{name}={text} reads files on the server; the page does not offer it")
    return value


def policies(name: str, a, b) -> Policies:
    """Checked compare-mode policies (values already parsed)."""
    if not offered(name):
        raise ParameterError("compare", f"unknown parameter '{name}' to compare")
    return Policies(name, a, b)


def from_query(query: str | None) -> tuple[Scenario, list[str]]:
    """The scenario a link describes, and a one-line message for each entry left out."""
    problems: list[str] = []
    entries = dict(parse_qsl(query or "", keep_blank_values=True))
    preset = entries.pop("preset", DEFAULT_PRESET)
    if preset not in PRESETS:
        problems.append(f"unknown preset '{preset}' in the link; choose one of " + ", ".join(PRESETS))
        preset = DEFAULT_PRESET
    seed = DEFAULT_SEED
    try:
        seed = parse_seed(entries.pop("seed", str(DEFAULT_SEED)))
    except ParameterError as refusal:
        problems.append(str(refusal))
    compare = [entries.pop(key, None) for key in ("compare", "a", "b")]
    overrides: dict = {}
    for name, text in entries.items():
        try:
            value = parse_value(name, text)
            effective_params(preset, {**overrides, name: value})
        except ParameterError as refusal:
            problems.append(str(refusal))
            continue
        overrides[name] = value
    chosen = None
    if compare[0] is not None:
        try:
            name = compare[0]
            a, b = (parse_value(name, text or "") for text in compare[1:])
            chosen = policies(name, a, b)
            for which in "AB":
                effective_params(preset, Scenario(preset, overrides, seed, chosen).overrides_for(which))
        except ParameterError as refusal:
            problems.append(str(refusal))
            chosen = None
    return Scenario(preset, overrides, seed, chosen), problems
