"""Lum et al. (2014): incarceration as a contagion over family and friendship ties, run by the society.

Lum, K., Swarup, S., Eubank, S. & Hawdon, J. (2014). The contagious nature of imprisonment: an
agent-based model to explain racial disparities in incarceration rates. J. R. Soc. Interface 11:
20140409. Each month every incarcerated person passes incarceration to each relative and friend
with a probability estimated per relation from survey data; anyone is incarcerated at a small
background rate; a sentence lasts a random number of months. The incarcerated share *tips*
between mean sentences of 14 and 17 months: a small change in sentence length changes the
prevalence many times over.

The preset ``lum2014`` is that process in the society: only ``delist``, ``list`` and
``transmit`` run, nobody is listed by score (threshold 0, scores never fall), and a listing
(incarceration) lasts ``listing_duration`` months (the sentence). Per-tie probabilities are the
published monthly ones averaged over the sexes of both persons (our citizens have no sex):
friends 0.0190 (Lum et al. use the sibling probabilities for friends: 0.0080, 0.0332, 0.0044,
0.0302), family 0.0026 (between adults a household tie is a partnership: 0.0043 and 0.0008),
background 1.675e-5 per month.

:func:`sweep` runs the society over sentence lengths; :func:`tipping_cases` turns the sweep into
table rows; :data:`COMPARISON` says what matches Lum et al. and what cannot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .watts import trial_seeds

DURATIONS = (10, 12, 14, 15, 16, 17, 19, 22)
"""Mean sentence lengths (months) swept by ``trustcascade validate lum``."""
LENIENT, HARSH = 14, 17  # the two mean sentences Lum et al. compare
STEPS, BURN_IN = 240, 180  # 20 years; the share is averaged over the last 5
ELASTICITY_FLOOR = 5.0
"""Tipping means the share grows much faster than the sentence: a society where listings only
come at the background rate has share = rate x duration, an elasticity d log share / d log
duration of 1. Between 14 and 17 months Lum et al.'s prevalence grows several-fold; we ask for
an elasticity of at least 5 (share x 2.6 for sentence x 17/14), at three standard errors."""

COMPARISON = (
    ("what", "Lum et al. (2014)", "lum2014 preset", "matches"),
    ("contagion", "monthly per-tie transmission while incarcerated", "rule transmit, same process", "yes"),
    ("friend transmission", "sibling probabilities by sex pair", "their mean, 0.0190", "on average only"),
    ("family transmission", "parent, child, sibling, partner by sex", "adult partners, 0.0026", "partly: "
     "our children are never listed and never grow up, so parent/child/sibling ties carry nothing"),
    ("background rate", "1.675e-5 per month", "background_listing_rate 1.675e-5", "yes"),
    ("sentence", "gamma-Poisson, mean 14 or 17 months", "fixed listing_duration", "mean only"),
    ("population", "synthetic families and friends over 100 years, births and deaths, ages >= 15",
     "households and a Watts-Strogatz friend graph, no ageing", "no"),
    ("friend degree", "from their synthetic population", "mean_degree 8, chosen so the tipping "
     "falls where theirs does", "fitted (one number)"),
    ("tipping 14 -> 17 months", "prevalence several-fold higher at 17", "checked: elasticity >= 5", "yes"),
    ("racial disparity", "two groups with different sentences", "one group", "not modelled"),
)


@dataclass(frozen=True)
class LumSweep:
    """The listed share (mean over months BURN_IN..STEPS) per sentence length and seed."""

    durations: tuple
    shares: np.ndarray  # durations x seeds
    n: int
    seed: int

    def mean(self, duration: int) -> float:
        return float(self.shares[self.durations.index(duration)].mean())

    def interval(self, duration: int) -> tuple[float, float]:
        row = self.shares[self.durations.index(duration)]
        half = 1.96 * row.std(ddof=1) / math.sqrt(row.size) if row.size > 1 else math.nan
        return float(row.mean() - half), float(row.mean() + half)

    def elasticity(self, low: int, high: int) -> tuple[float, float]:
        """Mean and standard error over seeds of log(share_high / share_low) / log(high / low);
        the seeds are common, so the comparison is paired."""
        floor = 1.0 / self.n  # a share of 0 (no one listed) counts as one person
        ratio = np.log(np.maximum(self.shares[self.durations.index(high)], floor)
                       / np.maximum(self.shares[self.durations.index(low)], floor)) / math.log(high / low)
        spread = ratio.std(ddof=1) / math.sqrt(ratio.size) if ratio.size > 1 else math.inf
        return float(ratio.mean()), float(spread)


def listed_share(duration: int, n: int, seed: int) -> float:
    """Mean listed share over months BURN_IN..STEPS of one lum2014 run."""
    from trustcascade.model.model import TrustCascade

    model = TrustCascade(rng=seed, preset="lum2014", agents=False, n_citizens=n, listing_duration=duration)
    return float(model.run(STEPS)["listed_share"].iloc[BURN_IN:].mean())


def sweep(durations=DURATIONS, n: int = 5000, seeds: int = 10, seed: int = 1) -> LumSweep:
    """The lum2014 society at each sentence length, ``seeds`` runs each (common seeds)."""
    runs = trial_seeds(seed, seeds)
    shares = np.array([[listed_share(d, n, s) for s in runs] for d in durations])
    return LumSweep(tuple(durations), shares, n, seed)


def steepest(result: LumSweep) -> tuple[int, int]:
    """The consecutive pair of swept durations between which the share rises fastest."""
    pairs = list(zip(result.durations, result.durations[1:]))
    return max(pairs, key=lambda pair: result.elasticity(*pair)[0])
