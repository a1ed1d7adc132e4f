"""The validation table: each case's expected value and source, measured value, tolerance.

Each row states its tolerance; where the numbers are samples it follows from their sampling error:

* **Share of global cascades** (Watts 2002, replication with 100 trials per z). Both numbers
  are binomial proportions, so their difference has variance p(1-p)(1/100 + 1/T) with p
  pooled over the 200+ trials; a case passes within 3 standard errors (a false failure in
  about 3 of 1000 cases). Floor 0.03: a reference of 0/100 or 2/100 is compatible with a true
  rate up to about 3/100 (the "rule of three", 95%), where the normal approximation fails.
  The reference's own 100 trials set the limit (at z = 1.05 no test can be tighter than
  +-0.104); we run T = 400 trials, also in ``--quick``, so our part of the variance is a quarter
  of the reference's and the tolerance is within 12% of that limit (with T = 100, ``--quick``
  allowed +-0.135 to +-0.147 at z = 1.05). ``--quick`` checks the steep lower edge (1.05),
  the middle (3, and the mean size there) and the upper edge (6, 6.6), so a model whose graph,
  threshold or cascade rule is off fails at least one row (tests/test_validation.py breaks
  the model on purpose).
* **Mean size of global cascades** at z = 3: 3 standard errors of a difference of two means,
  s sqrt(1/88 + 1/G) (88 of the replication's 100 trials were global, G of ours; s is our
  standard deviation of global sizes, the replication's is unpublished), plus 0.005 for the
  published value's rounding to 0.94.
* **Granovetter (1978)**: deterministic, so exact (tolerance 0).
* **Lum et al. (2014)**: the tipping between mean sentences of 14 and 17 months, as the paired
  (common seeds) elasticity of the listed share, log(share_17 / share_14) / log(17 / 14): it must
  exceed 5 by three standard errors over the seeds (a society without contagion has 1; see
  :mod:`.lum`). The full table also checks that the steepest rise over the swept sentence lengths
  lies between 14 and 17 months.
* **Cascade condition** (Watts 2002, eq. 6, Poisson degrees): the computed window for
  phi = 0.18 against the published "about 1.02 < z < 5.77", within one unit of its last
  digit (0.01). (The exact root of the condition is 5.7647, which rounds to 5.76; the test
  suite checks the code against the closed form to 1e-9.)
* **Simulated window** beside the theory for several phi: the lowest and highest z on a grid
  where at least 5% of trials give a global cascade. These are agreement bands, not sampling
  tolerances: the lower edge must lie within 0.15 of theory (the percolation transition at
  z = 1 is smeared at n = 10^4; grid step 0.05); the upper edge at most one grid step (0.25)
  below theory and at most 10% above it, since a finite graph pushes the upper edge up (Watts
  2002, Fig. 2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import lum
from .granovetter import equilibrium, uniform_thresholds
from .watts import cascade_window, run_watts

REPLICATION = "Watts 2002 replication, n=1e4, 100 trials"
REFERENCE_TRIALS = 100
# Share of global cascades at phi = 0.18 in a public replication of Watts (2002): n = 10^4, 100 seed
# nodes per z, a cascade counted as global when it reaches more than 1% of the nodes.
REFERENCE_SHARES = {0.9: 0.02, 1.05: 0.14, 1.5: 0.57, 3.0: 0.88, 5.0: 0.65, 6.0: 0.09, 6.3: 0.02,
                    6.6: 0.0}
REFERENCE_MEAN_SIZE_Z3 = 0.94
PUBLISHED_WINDOW = (1.02, 5.77)  # phi = 0.18, Watts (2002)
WINDOW_LEVEL = 0.05
SHARE_FLOOR = 0.03


@dataclass(frozen=True)
class Case:
    """One row of the table."""

    name: str
    expected: str
    source: str
    measured: str
    tolerance: str
    passed: bool

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Plan:
    """How much to run: the full table, or ``--quick``."""

    trials: int = 400
    shares_at: tuple = tuple(REFERENCE_SHARES)
    window_phis: tuple = (0.14, 0.18, 0.22)
    window_trials: int = 100
    n: int = 10_000
    lum_durations: tuple = lum.DURATIONS
    lum_seeds: int = 10


FULL = Plan()
QUICK = Plan(trials=400, shares_at=(1.05, 3.0, 6.0, 6.6), window_phis=(0.18,), window_trials=60,
             lum_durations=(lum.LENIENT, lum.HARSH), lum_seeds=6)


def share_tolerance(reference: float, measured: float, trials: int) -> float:
    """3 standard errors of a difference of two binomial shares (pooled), floored at 0.03."""
    pooled = (reference * REFERENCE_TRIALS + measured * trials) / (REFERENCE_TRIALS + trials)
    spread = 3.0 * math.sqrt(pooled * (1 - pooled) * (1 / REFERENCE_TRIALS + 1 / trials))
    return max(spread, SHARE_FLOOR)


def mean_size_tolerance(sizes: np.ndarray) -> float:
    """3 standard errors of a difference of mean global sizes, plus the published rounding."""
    reference_global = round(REFERENCE_SHARES[3.0] * REFERENCE_TRIALS)
    spread = float(np.std(sizes, ddof=1)) if sizes.size > 1 else 1.0
    return 3.0 * spread * math.sqrt(1 / reference_global + 1 / sizes.size) + 0.005


def watts_cases(plan: Plan, seed: int):
    """Share of global cascades at each z, and the mean global size at z = 3 (one row at a time)."""
    for z in plan.shares_at:
        result = run_watts(0.18, z, plan.n, plan.trials, seed)
        reference = REFERENCE_SHARES[z]
        tolerance = share_tolerance(reference, result.share_global, plan.trials)
        yield Case(f"Watts phi=0.18 z={z:g}: share global", f"{reference:.2f}", REPLICATION,
                   f"{result.share_global:.3f} ({plan.trials} trials)", f"±{tolerance:.3f}",
                   abs(result.share_global - reference) <= tolerance)
        if z == 3.0:
            sizes = result.sizes[result.is_global]
            tolerance = mean_size_tolerance(sizes)
            measured = float(sizes.mean()) if sizes.size else float("nan")
            yield Case("Watts phi=0.18 z=3: mean global size", f"{REFERENCE_MEAN_SIZE_Z3:.2f}",
                       REPLICATION, f"{measured:.4f} ({sizes.size} global)", f"±{tolerance:.4f}",
                       abs(measured - REFERENCE_MEAN_SIZE_Z3) <= tolerance)


def granovetter_cases() -> list[Case]:
    """The two riots of Granovetter (1978): thresholds 0..99, and 1 replaced by 2."""
    changed = uniform_thresholds(100)
    changed[1] = 2
    source = "Granovetter 1978, AJS 83:1420"
    uniform, one_change = equilibrium(uniform_thresholds(100)), equilibrium(changed)
    return [Case("Granovetter thresholds 0..99", "100", source, str(uniform), "exact", uniform == 100),
            Case("Granovetter 1 replaced by 2", "1", source, str(one_change), "exact", one_change == 1)]


def simulated_edges(phi: float, theory: tuple[float, float], plan: Plan, seed: int) -> tuple[float, float]:
    """Lowest and highest grid z with at least 5% global cascades, walking out from theory."""
    def share(z: float) -> float:
        return run_watts(phi, z, plan.n, plan.window_trials, seed).share_global

    lower = _walk(share, theory[0] + 0.1, -0.05)
    upper = _walk(share, math.floor(theory[1] / 0.25) * 0.25 - 0.25, 0.25)
    return lower, upper


def _walk(share, start: float, step: float) -> float:
    """From ``start``, step while the share of global cascades stays >= 5%; the last such z
    (nan if even ``start`` is below 5%)."""
    last, z = float("nan"), round(start, 2)
    while 0 < z < 100 and share(z) >= WINDOW_LEVEL:
        last, z = z, round(z + step, 2)
    return last


def window_cases(plan: Plan, seed: int) -> list[Case]:
    """The analytic cascade window, against Watts' published one and beside the simulated one."""
    low, high = cascade_window(0.18)
    published = PUBLISHED_WINDOW
    cases = [Case("cascade condition phi=0.18: window", f"about {published[0]:.2f} < z < {published[1]:.2f}",
                  "Watts 2002, eq. 6", f"{low:.4f} < z < {high:.4f}", "±0.01",
                  abs(low - published[0]) <= 0.01 and abs(high - published[1]) <= 0.01)]
    for phi in plan.window_phis:
        theory = cascade_window(phi)
        sim_low, sim_high = simulated_edges(phi, theory, plan, seed)
        passed = abs(sim_low - theory[0]) <= 0.15 and theory[1] - 0.25 <= sim_high <= 1.1 * theory[1]
        cases.append(Case(f"window phi={phi:g}: simulated vs theory",
                          f"{theory[0]:.2f} < z < {theory[1]:.2f}", "cascade condition (code)",
                          f"{sim_low:.2f} < z < {sim_high:.2f} ({plan.window_trials} trials/z)",
                          "low ±0.15, high -0.25..+10%", passed))
    return cases


def lum_cases(plan: Plan, seed: int) -> list[Case]:
    """The tipping of Lum et al. (2014) in sentence length, from a sweep of the lum2014 society."""
    result = lum.sweep(plan.lum_durations, seeds=plan.lum_seeds, seed=seed)
    source = "Lum et al. 2014, JRSI 11:20140409"
    elasticity, error = result.elasticity(lum.LENIENT, lum.HARSH)
    shares = f"share {result.mean(lum.LENIENT):.4f} -> {result.mean(lum.HARSH):.4f}"
    cases = [Case(f"Lum sentence {lum.LENIENT}->{lum.HARSH} months: elasticity", f">= {lum.ELASTICITY_FLOOR:g} "
                  "(tipping)", source, f"{elasticity:.1f} ± {error:.1f} SE ({shares}, {plan.lum_seeds} seeds)",
                  "3 SE", elasticity - 3 * error >= lum.ELASTICITY_FLOOR)]
    if len(plan.lum_durations) > 2:
        low, high = lum.steepest(result)
        cases.append(Case("Lum steepest rise over sentence length", f"within {lum.LENIENT}..{lum.HARSH} months",
                          source, f"{low}->{high} months (grid {', '.join(map(str, plan.lum_durations))})",
                          "grid step", lum.LENIENT <= low and high <= lum.HARSH))
    return cases


def iter_cases(quick: bool = False, seed: int = 1):
    """Every validation case, one group at a time; ``quick`` runs fewer trials and points
    (so its sampling tolerances are wider)."""
    plan = QUICK if quick else FULL
    yield from granovetter_cases()
    yield from watts_cases(plan, seed)
    yield from window_cases(plan, seed)
    yield from lum_cases(plan, seed)
