"""Scoring rules: how a ledger of points becomes the score the authority lists by.

Each rule declares its score bounds; scores never leave them. Weights of real
schemes are unknown, so the ledger's weights are parameters and the rule is
pluggable: add a class with ``name``, ``bounds`` and ``score(points, out=None)`` and
register it. ``out`` may be ``points`` itself: the step scores its fresh ledger in place,
since a new 100,000-element array costs its page faults.
"""

from __future__ import annotations

import numpy as np

LEDGER_MAX = 2000.0
"""The ledger's ceiling in points (twice the 1000 points the pilot cities start from);
every points parameter is bounded by it and the points rule clips to [0, LEDGER_MAX]."""


class PointsRule:
    """Municipal points scheme: start at ``initial_score`` (1000), lose points per record,
    gain for good deeds; the score *is* the ledger, clipped to [0, LEDGER_MAX].

    Source: Rongcheng and Suining "social credit" pilots (1000 points, grades A+++ to D;
    a traffic ticket -5, a "heroic act" +30), as described by Creemers (2018) and
    Engelmann et al. (2019).
    """

    name = "points"
    bounds = (0.0, LEDGER_MAX)

    def score(self, points: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return np.clip(points, *self.bounds, out=out)


class CreditRule:
    """Commercial credit style: the ledger mapped linearly from [0, LEDGER_MAX] to [350, 950],
    the range Sesame Credit reports (Ant Financial, 2015). Listing thresholds are then on
    that 350-950 scale (1000 points -> 650).
    """

    name = "credit"
    bounds = (350.0, 950.0)

    def score(self, points: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        low, high = self.bounds
        scaled = np.clip(points, 0.0, LEDGER_MAX, out=out)
        scaled *= high - low
        scaled /= LEDGER_MAX
        scaled += low
        return scaled


SCORING_RULES = {rule.name: rule() for rule in (PointsRule, CreditRule)}

def clean_score(params: dict) -> float:
    """The score of a clean record (the ledger at ``initial_score``) under the run's rule."""
    rule = SCORING_RULES[params["scoring_rule"]]
    return float(rule.score(np.array([params["initial_score"]]))[0])


GRADES = ("A", "B", "C", "D")


def grade(score: np.ndarray, clean: float, threshold: float) -> np.ndarray:
    """Grade bands relative to policy: A at or above a clean record's score, B in the upper
    half of the margin down to the listing threshold, C the lower half, D at or below the
    threshold (listable). Returns indexes into :data:`GRADES`.

    >>> grade(np.array([1000., 950., 900., 880.]), 1000., 880.).tolist()
    [0, 1, 2, 3]
    """
    middle = (clean + threshold) / 2.0
    return np.select([score >= clean, score >= middle, score > threshold], [0, 1, 2], 3).astype(np.int8)
