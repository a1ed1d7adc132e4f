"""Sizing a sweep before anything is built or written: how many points a design has, and whether
its design, plan and runs fit in memory (refusals name the experiment file's field)."""

from __future__ import annotations

import math

from trustcascade.model.memory import PER_STEP, check_total
from trustcascade.model.schema import ParameterError

# Memory per item of a sweep's plan (measured, rounded up): a design point is a dict of factor
# values plus its row in design.parquet; a run is a Task (a step: ``memory.PER_STEP``).
BYTES_PER_GRID_VALUE = 40
BYTES_PER_POINT = 600
BYTES_PER_POINT_FACTOR = 150
BYTES_PER_RUN = 500


def design_size(design: str, factors: list, samples: int | None, second_order: bool = False) -> int:
    """How many points a design will have, computed without building it."""
    k = len(factors)
    if design == "grid":
        return math.prod(len(f.values) if f.values is not None else f.points for f in factors)
    if design == "sobol":
        return samples * (2 * k + 2 if second_order else k + 2)
    if design == "morris":
        return samples * (k + 1)
    return samples


def check_memory(reader, design: str, factors: list, options: dict, replicates: int, steps: int) -> None:
    """Refuse, before anything is built or written, a design, plan or run that cannot fit in memory."""
    points = design_size(design, factors, options.get("samples"), options.get("second_order", False))
    field_name = "experiment.samples" if design != "grid" else "factors"
    fits(reader, field_name, f"a {design} design of {points} points",
         points * (BYTES_PER_POINT + BYTES_PER_POINT_FACTOR * len(factors)))
    fits(reader, "experiment.replicates", f"a plan of {points} points x {replicates} replicates "
         f"= {points * replicates} runs", points * replicates * BYTES_PER_RUN)
    fits(reader, "experiment.steps", f"one run of {steps} steps", steps * PER_STEP)


def fits(reader, name: str, what: str, need: float) -> None:
    """Refuse ``what`` as field ``name`` of the file ``reader`` reads if ``need`` bytes do not fit."""
    try:
        check_total(name, what, need)
    except ParameterError as error:
        raise reader.refuse(name, str(error)) from None
