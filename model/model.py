"""TrustCascade: the Mesa model of a society that scores everyone."""

from __future__ import annotations

import functools

import mesa
import numpy as np
import pandas as pd

from . import presets as preset_registry
from . import ids
from .graphfile import from_networkx, read_network
from .interventions import apply_change, check_changeable, merge
from .memory import check_society
from .metrics import COLUMNS, Collector
from .params import SCHEMA
from .schema import ParameterError
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
    graph : networkx.Graph, optional
        The friendship layer itself (sets ``network="file"``); its node ids name the citizens.

    A model pickles (a checkpoint): unpickled, it steps on exactly as the original would.
    Ids: :mod:`trustcascade.model.ids`.

    Examples
    --------
    >>> model = TrustCascade(rng=1, n_citizens=500)
    >>> bool(model.run(3)["listed_share"].between(0, 1).all())
    True
    """

    def __init__(self, rng=None, preset: str | None = None, params: dict | None = None,
                 schedule: dict | None = None, agents: bool = True, graph=None, **overrides):
        seed = resolve_seed(rng)
        super().__init__(rng=seed)
        self.seed = seed
        chosen = preset_registry.get(preset) if preset else None
        given = {**(params or {}), **overrides}
        network = None
        if graph is not None:
            network = from_networkx(graph)
            given.update(network="file", graph_file=f"<networkx graph: {network.n} nodes>")
        self.params = SCHEMA.resolve(given, base=chosen.params if chosen else None)
        self.preset = preset
        self.schedule_of_changes = {
            step: {name: _changeable(name, value) for name, value in changes.items()}
            for step, changes in merge(chosen.schedule if chosen else {}, schedule or {}).items()}
        if self.params["network"] == "file":
            network = network or read_network(self.params["graph_file"])
            fit_to_network(self.params, network, given)
        check_society(self.params, network.adjacency.nnz if network else None)
        self.world: World = build_world(self.params, Streams(seed),
                                        friends=network.adjacency if network else None)
        if network is not None:
            network.adjacency = None  # the world holds the friendship layer; keep ids and attributes
        self.network = network
        self._list_initial()
        self.collector = Collector(self.world)
        if agents:
            from trustcascade.agents import Citizen, Company

            Citizen.create_agents(self, self.world.citizens.n, index=np.arange(self.world.citizens.n))
            Company.create_agents(self, self.world.companies.n, index=np.arange(self.world.companies.n))
        self.datacollector = mesa.DataCollector(
            model_reporters={name: functools.partial(latest_metric, name) for name in COLUMNS if name != "step"})

    @functools.cached_property
    def citizen_ids(self) -> list[str]:
        """Each citizen's id in outputs (:mod:`trustcascade.model.ids`)."""
        return ids.citizen_ids(self.world.citizens.n, self.network.labels if self.network else None)

    @functools.cached_property
    def company_ids(self) -> list[str]:
        return ids.company_ids(self.world.companies.n, self.network.labels if self.network else None)

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


def latest_metric(name: str, model) -> object:
    """The latest value of one metric: the DataCollector's reporters are ``partial(latest_metric,
    name)`` rather than lambdas, so that the model pickles."""
    return model.collector.rows[-1][name] if model.collector.rows else None


def _changeable(name: str, value):
    """A scheduled value, checked and stored as a plain Python value."""
    check_changeable(name)
    return SCHEMA[name].check(value)


def fit_to_network(params: dict, network, given: dict) -> None:
    """Take ``n_citizens`` from a graph file; refuse an explicit one that disagrees, and shrink a
    default ``n_companies`` that a small graph cannot staff (to the default share of companies)."""
    n = network.n
    if "n_citizens" in given and params["n_citizens"] != n:
        raise ParameterError("n_citizens", f"n_citizens={params['n_citizens']} disagrees with graph_file "
                             f"'{network.source}', which has {n} people; leave n_citizens out (the graph "
                             "sets it)")
    params["n_citizens"] = n
    if params["n_companies"] > n:
        if "n_companies" in given:
            raise ParameterError("n_companies", f"n_companies must be <= the {n} people in graph_file "
                                 f"'{network.source}'; got {params['n_companies']}")
        share = SCHEMA["n_companies"].default / SCHEMA["n_citizens"].default
        params["n_companies"] = max(1, round(n * share))
