"""The parameter schema machinery: one declaration per parameter, one validator.

Every parameter of the society is a :class:`Param` declared once in
``trustcascade.model.params``. The CLI options, the validation and its error
messages, the ``params`` table and JSON, the docs (and later the app's sliders
and the sweep files) are generated from those declarations, in the manner of
scikit-learn's ``_parameter_constraints``: declared once, checked by one
validator, every message in one form.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, Callable

GROUPS = ("Authority", "Institutions", "Society", "Network", "Behaviour", "Rules")


class ParameterError(ValueError):
    """A parameter value the schema refuses; ``str()`` is one line naming it."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


@dataclass(frozen=True)
class Param:
    """One parameter: its name, type, default, bounds or choices, unit, meaning and group."""

    name: str
    type: type
    default: Any
    help: str
    group: str
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    choices: tuple | None = None
    unit: str = ""
    structural: bool = False  # shapes the society when it is built: cannot change during a run

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ValueError(f"{self.name}: unknown group {self.group!r}")
        if self.default is not None:
            self.check(self.default)

    def allowed(self) -> str:
        """Say in words what values are allowed."""
        if self.choices is not None:
            return "one of " + ", ".join(str(c) for c in self.choices)
        kind = {int: "an integer", float: "a number", bool: "true or false", str: "a string"}[self.type]
        if self.min is not None and self.max is not None:
            left = "(" if self.min_exclusive else "["
            return f"{kind} in the range {left}{_fmt(self.min)}, {_fmt(self.max)}]"
        if self.min is not None:
            return f"{kind} {'>' if self.min_exclusive else '>='} {_fmt(self.min)}"
        if self.max is not None:
            return f"{kind} <= {_fmt(self.max)}"
        return kind

    def _refuse(self, value) -> ParameterError:
        return ParameterError(
            self.name,
            f"parameter '{self.name}' must be {self.allowed()}; got {value!r}",
        )

    def parse(self, text: str):
        """Turn a command-line or file string into a checked value of this type."""
        if not isinstance(text, str):
            return self.check(text)
        raw = text.strip()
        try:
            if self.type is bool:
                lowered = raw.lower()
                if lowered in ("1", "true", "yes", "on"):
                    value = True
                elif lowered in ("0", "false", "no", "off"):
                    value = False
                else:
                    raise ValueError
            elif self.type is int:
                as_float = float(raw)
                if not as_float.is_integer():
                    raise ValueError
                value = int(as_float)
            elif self.type is float:
                value = float(raw)
            else:
                value = raw
        except ValueError:
            raise self._refuse(text) from None
        return self.check(value)

    def check(self, value):
        """Return ``value`` as a plain Python value of this type, or raise :class:`ParameterError`.

        numpy scalars (``np.bool_``, ``np.int64``, ``np.float32``, ``np.str_``) are accepted like
        their Python counterparts and stored as plain Python values, so parameters sweep from
        numpy arrays (``mesa.batch_run``) and still serialise as JSON; a path-like value
        (``pathlib.Path``) is accepted where a string is expected (``graph_file``).
        """
        value = _plain(value)
        if self.type is bool:
            if not isinstance(value, bool):
                raise self._refuse(value)
        elif self.type is int:
            if isinstance(value, bool):
                raise self._refuse(value)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int):
                raise self._refuse(value)
        elif self.type is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self._refuse(value)
            value = float(value)
            if not math.isfinite(value):
                raise self._refuse(value)
        elif self.type is str:
            if isinstance(value, os.PathLike):
                value = os.fspath(value)
            if not isinstance(value, str):
                raise self._refuse(value)
        if self.choices is not None and value not in self.choices:
            raise self._refuse(value)
        if self.min is not None and (value < self.min or (self.min_exclusive and value == self.min)):
            raise self._refuse(value)
        if self.max is not None and value > self.max:
            raise self._refuse(value)
        return value

    def as_dict(self) -> dict:
        """The JSON form used by ``trustcascade params --json`` and the app."""
        entry = {
            "name": self.name,
            "type": self.type.__name__,
            "default": self.default,
            "group": self.group,
            "unit": self.unit,
            "help": self.help,
        }
        if self.choices is not None:
            entry["choices"] = list(self.choices)
        else:
            entry["min"] = self.min
            entry["max"] = self.max
        return entry


@dataclass(frozen=True)
class Constraint:
    """A rule across parameters; ``holds(params)`` is False when it is broken."""

    names: tuple[str, ...]
    holds: Callable[[dict], bool]
    message: str = field(default="")

    def check(self, params: dict) -> None:
        if not self.holds(params):
            shown = ", ".join(f"{n}={params[n]!r}" for n in self.names)
            raise ParameterError(self.names[0], f"{self.message} (got {shown})")


class Schema:
    """An ordered set of :class:`Param` with cross-parameter :class:`Constraint` s."""

    def __init__(self, params: list[Param], constraints: list[Constraint], removed: dict | None = None):
        self.params = {p.name: p for p in params}
        self.removed = dict(removed or {})  # name -> what replaced it (one line for the user)
        if len(self.params) != len(params):
            raise ValueError("duplicate parameter names in the schema")
        self.constraints = constraints

    def __getitem__(self, name: str) -> Param:
        try:
            return self.params[name]
        except KeyError:
            if name in self.removed:
                raise ParameterError(name, f"parameter '{name}' was removed: {self.removed[name]}") from None
            raise ParameterError(name, _unknown(name, self.params)) from None

    def __iter__(self):
        return iter(self.params.values())

    def defaults(self) -> dict:
        return {p.name: p.default for p in self}

    def resolve(self, overrides: dict | None = None, base: dict | None = None) -> dict:
        """Defaults, then ``base`` (e.g. a preset), then ``overrides``: every value checked.

        Raises :class:`ParameterError` naming the first parameter that is wrong.
        """
        params = self.defaults()
        for layer in (base or {}), (overrides or {}):
            for name, value in layer.items():
                params[name] = self[name].check(value)
        for constraint in self.constraints:
            constraint.check(params)
        return params

    def parse_assignment(self, text: str) -> tuple[str, Any]:
        """Parse ``NAME=VALUE`` from the command line."""
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError("--set", f"--set expects NAME=VALUE; got {text!r}")
        return name, self[name].parse(value)


def _unknown(name: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; see `trustcascade params`"
    return f"unknown parameter '{name}'{hint}"


def _fmt(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _plain(value):
    """numpy scalars as the Python value they hold (``np.bool_(True)`` -> ``True``); others unchanged.

    ``np.float64`` and ``np.str_`` subclass ``float`` and ``str`` but are not stored as such
    (``repr`` shows ``np.float64(0.5)``, and JSON/TOML writers may refuse them), so they are
    converted too."""
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    return value
