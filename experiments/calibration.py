"""ABC-SMC calibration with pyabc: the society's parameters fitted to observed per-step metrics.

Approximate Bayesian computation by sequential Monte Carlo (Toni et al. 2009; Beaumont et al.
2009) as implemented by pyabc (Schälte et al. 2022, JOSS 7: 4304): each population proposes
particles (parameter values) from the previous one, runs the society with them and keeps those
whose summary statistics lie within epsilon of the observed ones; epsilon is the median
distance of the previous population (pyabc's ``MedianEpsilon``), the first population's from a
calibration sample drawn from the prior. pyabc keeps its history in SQLite (``DIR/history.db``).

**Distance.** Relative: the root mean square of ``(simulated - observed) / scale`` over every
target value, with ``scale = |observed|`` (a value observed as 0 is scaled by the largest
observed value of its column, or by 1 if the whole column is 0). So a 10% miss counts the same
for a share of 0.006 as for one of 0.6, and no target dominates because of its units. The
simulated value is the mean over ``replicates`` runs of the particle.

**Seeds.** The sampler below (:class:`OrderedSampler`) hands candidate particles out in batches
to a concurrent.futures Executor (the local process pool or a Dask cluster of
:mod:`.executors`). Candidate ``i`` of population ``t`` draws everything it needs (its proposal
and its runs' seeds) from ``SeedSequence(seed, spawn_key=(0xCA1B, t + 1, i))``, and a population
keeps the first ``particles`` accepted candidates *by index*, as pyabc's own Dask sampler does.
pyabc's samplers reseed each job from the operating system, so their posteriors cannot be
repeated; this one gives the same posterior for the same file with 1 or K workers, locally or
on Dask. Each population is run as a pyabc resume (``ABCSMC.load``), so an interrupted
calibration resumed with ``--resume`` takes the same path as one never interrupted.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import math
from pathlib import Path

import numpy as np

from .factory import build_society
from .runner import derived_seed

CANDIDATE_STREAM = 0xCA1B
BATCH = 2  # candidates per task: fewer round trips, little waste past the last accepted one


def candidate_state(seed: int, t: int, index: int) -> np.ndarray:
    """The legacy-numpy seed of candidate ``index`` of population ``t`` (``t = -1``: the
    calibration sample from the prior)."""
    return np.random.SeedSequence(seed, spawn_key=(CANDIDATE_STREAM, t + 1, index)).generate_state(4)


def statistics(tables: list, targets) -> dict:
    """The targets' summary statistics (``column@step``): the mean over the replicates' tables."""
    indexed = [table.set_index("step") for table in tables]
    return {key: float(np.mean([frame.at[step, target.name] for frame in indexed]))
            for target in targets for key, step in zip(target.keys(), target.steps)}


class SocietySimulator:
    """pyabc's model: sampled coordinates -> the society's summary statistics.

    The runs' seeds come from numpy's global stream, which :func:`evaluate_batch` has seeded
    from the candidate's own SeedSequence: replicate ``r`` runs with
    ``derived_seed(base, (0, r))`` (the sweep runner's rule), ``base`` drawn from that stream.
    """

    def __init__(self, calibration, factory=build_society):
        self.calibration = calibration
        self.factory = factory

    def __call__(self, sampled) -> dict:
        return statistics(self.tables(sampled), self.calibration.targets)

    def tables(self, sampled, base: int | None = None) -> list:
        calibration = self.calibration
        params = {**calibration.base, **calibration.parameters(sampled)}
        if base is None:
            # pyabc's simulate_one passes no index: the candidate's seed arrives through numpy's
            # legacy global state, which evaluate_batch sets from the file's seed (module doc)
            base = int(np.random.randint(0, 2**62, dtype=np.int64))
        tables = [self.factory(derived_seed(base, (0, replicate)), params, calibration.schedule)
                  .run(calibration.steps) for replicate in range(calibration.replicates)]
        for table in tables:  # the compared series of cumulative or per-capita targets
            for target in calibration.targets:
                if target.name != target.column:
                    table[target.name] = target.series(table, params["n_citizens"])
        return tables


class RelativeDistance:
    """Root mean square relative difference between simulated and observed targets (module doc)."""

    def __init__(self, calibration):
        self.scales = {}
        for target in calibration.targets:
            column = max((abs(v) for v in target.values), default=0.0) or 1.0
            for key, value in zip(target.keys(), target.values):
                self.scales[key] = abs(value) or column

    def __call__(self, simulated: dict, observed: dict) -> float:
        squares = [((simulated[key] - observed[key]) / scale) ** 2 for key, scale in self.scales.items()]
        return math.sqrt(sum(squares) / len(squares))


class Portable:
    """A closure a process pool can carry: pyabc's ``simulate_one`` is a nested function, which the
    standard pickle of a process pool refuses; it travels as cloudpickle bytes (made once) and the
    pool's own unpickling in the worker rebuilds it, as Dask does for every task."""

    def __init__(self, function):
        import cloudpickle

        self.payload = cloudpickle.dumps(function)

    def __reduce__(self):
        import cloudpickle

        return cloudpickle.loads, (self.payload,)


def evaluate_batch(simulate_one, seed: int, t: int, first: int, count: int) -> list:
    """Run candidates ``first .. first + count - 1`` of population ``t`` (in a worker)."""
    import random

    results = []
    for index in range(first, first + count):
        state = candidate_state(seed, t, index)
        np.random.seed(state)
        random.seed(int(state[0]))
        results.append(simulate_one())
    return results


def _sampler_base():
    from pyabc.sampler import Sampler

    return Sampler


class OrderedSampler(_sampler_base()):
    """A pyabc Sampler over any concurrent.futures Executor whose samples do not depend on the
    number of workers or the order in which they finish (module doc, "Seeds")."""

    def __init__(self, executor: cf.Executor, slots: int, seed: int, report=None):
        super().__init__()
        self.executor, self.window, self.seed = executor, max(2, 2 * slots), seed
        self.report = report or (lambda accepted, wanted, evaluated: None)

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                ana_vars=None):
        payload = Portable(simulate_one)
        done: dict[int, list] = {}
        pending: dict[cf.Future, int] = {}
        submitted = 0
        try:
            while True:
                accepted = sorted(first + offset for first, batch in done.items()
                                  for offset, particle in enumerate(batch) if particle.accepted)
                last = accepted[n - 1] if len(accepted) >= n else None
                self.report(min(len(accepted), n), n, sum(len(batch) for batch in done.values()))
                for future, first in list(pending.items()):
                    if last is not None and first > last:
                        future.cancel()
                        del pending[future]
                if last is not None and not pending:
                    break
                while last is None and len(pending) < self.window:
                    pending[self.executor.submit(evaluate_batch, payload, self.seed, t, submitted, BATCH)] = submitted
                    submitted += BATCH
                finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
                for future in finished:
                    done[pending.pop(future)] = future.result()
        finally:
            for future in pending:
                future.cancel()
        sample = self._create_empty_sample()
        for first in sorted(done):
            for offset, particle in enumerate(done[first]):
                if first + offset <= last:
                    sample.append(particle)
        self.nr_evaluations_ = last + 1
        return sample


def build_abc(calibration, sampler):
    """pyabc's ABCSMC for ``calibration``: uniform priors over the priors' sampling bounds."""
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    priors = pyabc.Distribution(**{prior.name: pyabc.RV("uniform", low, high - low)
                                   for prior in calibration.priors for low, high in [prior.bounds()]})
    return pyabc.ABCSMC(SocietySimulator(calibration), priors, RelativeDistance(calibration),
                        population_size=calibration.particles, sampler=sampler,
                        eps=pyabc.MedianEpsilon())


def database(out: Path) -> str:
    return f"sqlite:///{Path(out).resolve() / 'history.db'}"


def populations_done(out: Path) -> int:
    """How many populations ``DIR/history.db`` holds (0 if none)."""
    if not (Path(out) / "history.db").is_file():
        return 0
    from pyabc import History

    history = History(database(out), _id=1, create=False)
    return max(0, history.max_t + 1)


def run_populations(calibration, out: Path, executor, slots: int, bar=None) -> None:
    """Sample every population still missing from ``DIR/history.db``, one pyabc resume each."""
    def report(accepted, wanted, evaluated):
        if bar is not None:
            bar.set_postfix_str(f"accepted {accepted}/{wanted} of {evaluated} run", refresh=True)

    sampler = OrderedSampler(executor, slots, calibration.seed, report)
    for t in range(populations_done(out), calibration.populations):
        abc = build_abc(calibration, sampler)
        if t == 0 and not (Path(out) / "history.db").is_file():
            abc.new(database(out), calibration.observed)
        else:
            abc.load(database(out), 1)
        abc.run(max_nr_populations=1)
        if bar is not None:
            rate = abc.history.get_all_populations().iloc[-1]
            bar.update()
            bar.set_postfix_str(f"acceptance {calibration.particles / rate['samples']:.3f}, "
                                f"epsilon {rate['epsilon']:.4g}", refresh=True)
