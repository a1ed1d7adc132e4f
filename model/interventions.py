"""Scheduled interventions: parameter changes that take effect at a given step.

A policy switch, an amnesty (``--at 60:listing_duration=1``), a crackdown, or the
company shock: each is ``STEP:NAME=VALUE``, checked against the schema.
"""

from __future__ import annotations

import numpy as np

from .params import SCHEMA
from .schema import ParameterError
from .state import NEVER


def parse_at(text: str) -> tuple[int, str, object]:
    """Parse ``STEP:NAME=VALUE`` into (step, name, checked value)."""
    step_text, sep, assignment = text.partition(":")
    if not sep or not step_text.strip().isdigit() or int(step_text) < 1:
        raise ParameterError("--at", f"--at expects STEP:NAME=VALUE with STEP >= 1; got {text!r}")
    name, value = SCHEMA.parse_assignment(assignment)
    check_changeable(name)
    return int(step_text), name, value


def check_changeable(name: str) -> None:
    """Refuse a change of a parameter that shapes the society (``Param.structural``)."""
    if SCHEMA[name].structural:
        raise ParameterError(name, f"parameter '{name}' shapes the society and cannot change "
                             "during a run; set it with --set")


def merge(*schedules: dict) -> dict:
    """Combine {step: {name: value}} schedules (later ones win)."""
    merged: dict[int, dict] = {}
    for schedule in schedules:
        for step, changes in schedule.items():
            merged.setdefault(int(step), {}).update(changes)
    return merged


def apply_change(world, name: str, value) -> None:
    """Set a parameter mid-run, with what the change means for the state in force.

    ``listing_duration`` re-dates the listings in force (from when each began), so
    ``listing_duration=1`` is an amnesty that lifts them at once; changing
    ``association_layers`` refreshes the tie sums.
    """
    world.params[name] = value
    if name == "listing_duration":
        for people in (world.citizens, world.companies):
            listed = np.flatnonzero(people.listed)
            people.listed_until[listed] = people.listed_since[listed] + value if value > 0 else NEVER
    elif name == "association_layers":
        world.reindex_ties()
