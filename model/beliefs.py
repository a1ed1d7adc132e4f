"""Perceived risk: what each adult (and each company's management) believes about being
recorded and about what a listing costs, and the deterrence that follows from it.

Bayesian learning after Anwar & Loughran (2011), "Testing a Bayesian learning theory of
deterrence among serious juvenile offenders", Criminology 49:667: the perceived probability
that a violation in a domain is recorded is the mean of a Beta(recorded, seen - recorded)
distribution whose counts grow with every violation one commits (own experience, weight 1)
or sees a contact commit (vicarious experience, weight ``vicarious_weight``: Stafford & Warr
1993, "A reconceptualization of general and specific deterrence", J. Res. Crime Delinq.
30:123; personal experience weighs more than vicarious, Apel 2013, J. Quant. Criminol.
29:67). The perceived cost of a month on a list is the mean of a Gamma(cost, months)
distribution over the listed months one has seen -- one's own, one's contacts' (weighted
the same way) and, once a year, the published figures -- each costing what the restrictions
actually took that month: the services denied and the share of income lost (the unit
``pay`` uses too). The rules that fill them are in ``rules.learn``.

Before any experience a person believes what is announced: the recording probability is
``surveillance_coverage x visibility_<domain>`` and a listed month costs
``listing_cost_prior``, each worth ``belief_strength`` observations. With ``rule_learn``
off everyone keeps believing the announcement (the fixed-belief baseline).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .domains import Domain


@dataclass
class Beliefs:
    """Per row (an adult, or a company): Beta counts per domain for being recorded, and
    Gamma counts for the cost of a listed month."""

    recorded: np.ndarray  # (rows, 6) float32: violations seen recorded (with the prior's share)
    seen: np.ndarray  # (rows, 6) float32: violations seen, recorded or not (with the prior's)
    cost: np.ndarray  # (rows,) float64: cost seen in listed months (denials + income shares)
    months: np.ndarray  # (rows,) float64: listed months seen
    per_month: np.ndarray  # (rows,) float32: cost / months, kept in step by :meth:`see_listed_months`
    year_cost: float = 0.0  # this year's cost over all listed months, for the published figures
    year_months: float = 0.0

    @property
    def rows(self) -> int:
        return self.cost.shape[0]

    def detection(self, cells: np.ndarray | None = None) -> np.ndarray:
        """Perceived recording probability: per flat cell, or (rows, 6) when ``cells`` is None."""
        if cells is None:
            return self.recorded / self.seen
        return self.recorded.ravel()[cells] / self.seen.ravel()[cells]

    @property
    def unrecorded(self) -> np.ndarray:
        """The Beta distribution's second count: violations seen unrecorded (read-only)."""
        return self.seen - self.recorded

    def see_violations(self, cells: np.ndarray, recorded: np.ndarray, weight: float) -> None:
        """Cells (may repeat) each saw a violation, ``recorded`` or not, counted ``weight`` times."""
        np.add.at(self.seen.ravel(), cells, np.float32(weight))
        np.add.at(self.recorded.ravel(), cells[recorded], np.float32(weight))  # adding 0 changes nothing

    def listing_cost(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Perceived cost of a listed month (denials and shares of income lost), per row
        (float32; the counts are kept in float64 so that small additions are not lost)."""
        return self.per_month if rows is None else self.per_month[rows]

    def see_listed_months(self, rows: np.ndarray, cost: np.ndarray | float, weight) -> None:
        """Rows (may repeat) each saw a listed month that cost ``cost``, counted ``weight`` times
        (a number, or one per row), in the order given."""
        np.add.at(self.cost, rows, weight * np.asarray(cost))
        np.add.at(self.months, rows, weight)
        self.per_month[rows] = self.cost[rows] / self.months[rows]

    def reread_published(self, weight: float) -> None:
        """Everyone saw the year's figures: ``weight`` listed months at the year's average cost."""
        if self.year_months > 0 and weight > 0:
            self.cost += weight * self.year_cost / self.year_months
            self.months += weight
            self.per_month[:] = self.cost / self.months
        self.year_cost = self.year_months = 0.0


def announced(params: dict, domain_vector) -> tuple[np.ndarray, float]:
    """What the authority announces: the recording probability per domain, and the cost
    of a listed month people expect before they see one."""
    return params["surveillance_coverage"] * domain_vector("visibility"), params["listing_cost_prior"]


def prior_beliefs(rows: int, params: dict, domain_vector) -> Beliefs:
    """Everyone believes the announcement, worth ``belief_strength`` observations."""
    detection, cost = announced(params, domain_vector)
    strength = params["belief_strength"]
    recorded = np.broadcast_to((strength * detection).astype(np.float32), (rows, len(Domain))).copy()
    seen = np.full((rows, len(Domain)), strength, np.float32)
    return Beliefs(recorded=recorded, seen=seen, cost=np.full(rows, strength * cost),
                   months=np.full(rows, float(strength)), per_month=np.full(rows, cost, np.float32))


def listing_share(params: dict, domain_vector) -> np.ndarray:
    """Per domain, the share of a listing one record brings: its points over the margin
    one can lose before being listed (at least one point)."""
    margin = max(params["initial_score"] - params["listing_threshold"], 1.0)
    return domain_vector("weight") / margin


def deterrence_scale(params: dict, domain_vector) -> np.ndarray:
    """Per domain, ``-deterrence x listing share`` (float32): what perceived detection x
    perceived cost is multiplied by in the exponent of :func:`deterrence_factor`."""
    return (-params["deterrence"] * listing_share(params, domain_vector)).astype(np.float32)


def deterrence_factor(detection: np.ndarray, scale: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """``exp(-deterrence x perceived detection x listing share x perceived listing cost)``
    (``scale`` from :func:`deterrence_scale`): the probability that a violation's gain exceeds
    its perceived expected cost when gains are exponentially distributed with mean
    1/``deterrence`` (Becker 1968: the expected cost is probability x severity). The
    arguments broadcast against each other.

    >>> deterrence_factor(np.float32(0.5), np.float32(-4.0 * 0.2), np.float32(0.5))
    np.float32(0.81873...)
    """
    return np.exp(detection * scale * cost, dtype=np.float32)
