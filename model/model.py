"""TrustCascade: the Mesa model of a society that scores everyone."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from . import presets as preset_registry
from .interventions import apply_change, check_changeable, merge
from .metrics import COLUMNS, Collector
from .params import SCHEMA
from .rules import run_step
from .scoring import clean_score, grade
from .state import NEVER
from .streams import Streams, resolve_seed
from .world import World, build_world


class TrustCascade(mesa.Model):
    """A society whose authority scores, lists and sanctions everyone, step by step.

    State lives in arrays (``self.world``); :class:`~trustcascade.agents.Citizen` and
    :class:`~trustcascade.agents.Company` agents are views of it. Each step runs the rules
    of ``trustcascade.model.rules.PIPELINE`` and collects one row of metrics.

    Parameters
    ----------
    rng : int or None
        The run's seed; ``None`` draws one (``self.seed`` records it).
    preset : str, optional
        A named scenario (``trustcascade presets``) applied before ``params``.
    params : dict, optional
        Parameter values; keyword arguments are merged on top.
    schedule : dict, optional
        ``{step: {name: value}}`` interventions applied at the start of that step.
    agents : bool
        Create the Mesa agent views (skip for large sweeps; the rules never need them).

    Examples
    --------
    >>> model = TrustCascade(rng=1, n_citizens=500)
    >>> bool(model.run(3)["listed_share"].between(0, 1).all())
    True
    """

    def __init__(self, rng=None, preset: str | None = None, params: dict | None = None,
                 schedule: dict | None = None, agents: bool = True, **overrides):
        seed = resolve_seed(rng)
        super().__init__(rng=seed)
        self.seed = seed
        chosen = preset_registry.get(preset) if preset else None
        self.params = SCHEMA.resolve({**(params or {}), **overrides}, base=chosen.params if chosen else None)
        self.preset = preset
        self.schedule_of_changes = merge(chosen.schedule if chosen else {}, schedule or {})
        for changes in self.schedule_of_changes.values():
            for name, value in changes.items():
                check_changeable(name)
                SCHEMA[name].check(value)
        self.world: World = build_world(self.params, Streams(seed))
        self._list_initial()
        self.collector = Collector(self.world)
        if agents:
            from trustcascade.agents import Citizen, Company

            Citizen.create_agents(self, self.world.citizens.n, index=np.arange(self.world.citizens.n))
            Company.create_agents(self, self.world.companies.n, index=np.arange(self.world.companies.n))
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _latest(name) for name in COLUMNS if name != "step"})

    def _list_initial(self) -> None:
        """List ``initial_listed`` + ``initial_listed_share`` x n random adults at step 0
        (children are never listed)."""
        citizens, params, adults = self.world.citizens, self.params, self.world.adults
        count = min(adults.size, params["initial_listed"] + int(round(params["initial_listed_share"] * citizens.n)))
        if count == 0:
            return
        seeds = adults[self.world.streams["initial_listed"].choice(adults.size, size=count, replace=False)]
        citizens.listed[seeds] = True
        citizens.listed_since[seeds] = 0
        duration = params["listing_duration"]
        citizens.listed_until[seeds] = duration if duration > 0 else NEVER
        citizens.times_listed[seeds] = 1

    def step(self) -> None:
        """Apply this step's interventions, run the rules, collect the metrics."""
        upcoming = self.world.step + 1
        for name, value in self.schedule_of_changes.get(upcoming, {}).items():
            apply_change(self.world, name, value)
        run_step(self.world)
        self.collector.collect()
        self.datacollector.collect(self)

    def run(self, steps: int, progress=None) -> pd.DataFrame:
        """Run ``steps`` steps and return the metrics table (one row per step)."""
        for _ in range(steps):
            self.step()
            if progress is not None:
                progress()
        return self.table()

    def table(self) -> pd.DataFrame:
        """The metrics so far, one row per step, columns in :data:`COLUMNS` order."""
        return pd.DataFrame(self.collector.rows, columns=list(COLUMNS))

    def grade_of(self, score: np.ndarray) -> np.ndarray:
        """Grade bands (A..D as 0..3) for scores under this run's rule and threshold."""
        return grade(score, clean_score(self.params), self.params["listing_threshold"])


def _latest(name: str):
    return lambda model: model.collector.rows[-1][name] if model.collector.rows else None
