"""The society's state: numpy arrays for attributes, one CSR matrix per tie layer.

Mesa agents (``trustcascade.agents``) are views of these arrays; the rules in
``trustcascade.model.rules`` read and write them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import scipy.sparse as sp

from .beliefs import Beliefs
from .domains import Domain

NO_CELLS = np.zeros(0, np.int64)
NEVER = np.iinfo(np.int32).max
"""Expiry step of a permanent listing."""


class Cause(IntEnum):
    """The primary cause of a listing (every listing has exactly one: the counts by cause add up to the new listings)."""

    NONE = 0
    OWN = 1
    FALSE_RECORD = 2
    COMPANY = 3
    KIN = 4
    ASSOCIATION = 5

    @property
    def label(self) -> str:
        return self.name.lower()


CAUSES = (Cause.OWN, Cause.ASSOCIATION, Cause.COMPANY, Cause.KIN, Cause.FALSE_RECORD)


def count_by_cause(causes: np.ndarray) -> dict:
    """How many of ``causes`` (Cause values) are each of :data:`CAUSES`, in one count.

    >>> count_by_cause(np.array([1, 1, 5], np.int8))[Cause.OWN]
    2
    """
    counts = np.bincount(causes, minlength=len(Cause)) if causes.size else np.zeros(len(Cause), np.int64)
    return {cause: int(counts[cause]) for cause in CAUSES}


@dataclass
class Ties:
    """Tie layers. Symmetric layers among citizens are CSR matrices: friends with float64
    weights (used by scipy's graph search and products as they are), family int8. The friend
    layer changes in place (``tieslots``): each row holds its live ties first, then free
    slots ``(row, row, 0)``, so degree = row sums and every stored entry of weight 0 is a
    self-loop that no graph search follows."""

    friends: sp.csr_matrix
    family: sp.csr_matrix
    parent: np.ndarray  # parent index of each citizen, -1 if none
    employer: np.ndarray  # company index of each citizen, -1 if none
    business: sp.csr_matrix  # company x company
    representative: np.ndarray  # citizen index of each company's legal representative
    manager: np.ndarray  # citizens who manage their employer (restricted with it when listed)
    changed_since_metrics: bool = True  # ties changed since the network metrics were last computed
    cut_total: int = 0
    cuts: list | None = None  # friendships cut since ``take_cuts`` (keys lo * n + hi); None: changed otherwise

    def take_cuts(self) -> np.ndarray | None:
        """The friendships cut since the last call (keys, may repeat), and forget them; None
        if the layers changed in another way meanwhile (replaced, or first use). One reader:
        the metrics' ``LargestComponent``."""
        cuts, self.cuts = self.cuts, []
        if cuts is None:
            return None
        return np.concatenate(cuts) if cuts else np.zeros(0, np.int64)


@dataclass
class Lists:
    """Per person (or firm): the lists one is on and until when, a court debt, the red list,
    and this month's denials. Used by ``institutional_design=blacklists`` (the scored city
    has one list, ``listed``)."""

    on: np.ndarray  # (n, len(ListKind)) bool
    until: np.ndarray  # (n, len(ListKind)) int32: step at which each listing ends
    debt: np.ndarray  # unpaid judgment debt (yuan), 0 if none
    debt_due: np.ndarray  # step at which an unpaid debtor judged able to pay is listed, -1 if none
    red: np.ndarray  # on the red list of the trustworthy
    last_record: np.ndarray  # step of the latest record (0: the start)
    denials: np.ndarray  # services denied this month (for a person: also their children's school)
    ever_on_court: np.ndarray  # ever on the court list (the published counts are cumulative)

    @classmethod
    def empty(cls, n: int) -> "Lists":
        from .institutions import ListKind

        return cls(on=np.zeros((n, len(ListKind)), bool), until=np.full((n, len(ListKind)), -1, np.int32),
                   debt=np.zeros(n), debt_due=np.full(n, -1, np.int32), red=np.zeros(n, bool),
                   last_record=np.zeros(n, np.int32), denials=np.zeros(n, np.float32),
                   ever_on_court=np.zeros(n, bool))


@dataclass
class Citizens:
    """Per-citizen arrays; row i is citizen i."""

    propensity: np.ndarray  # (n, 6) base monthly violation probability
    score: np.ndarray
    deducted: np.ndarray  # (n, 6) points currently lost to records, per domain
    deducted_false: np.ndarray  # part of those points lost to false records
    rewarded: np.ndarray  # points currently gained by good deeds
    association_penalty: np.ndarray
    company_penalty: np.ndarray
    kin_penalty: np.ndarray  # points lost to listed family members (guilt by association, cause kin)
    listed: np.ndarray
    listed_until: np.ndarray
    listed_since: np.ndarray
    times_listed: np.ndarray
    cause: np.ndarray  # Cause of the current or last listing
    offence_domains: np.ndarray  # (n, 6) domains with a record during the current listing
    ever_violated: np.ndarray
    # This step's events as flat cell indexes ``citizen * 6 + domain`` (sparse: a few per mille)
    violation_cells: np.ndarray  # true violations
    detectability: np.ndarray  # per violation: uniform in [0, 1); recorded when below coverage
    record_cells: np.ndarray  # true violations the authority recorded
    false_cells: np.ndarray  # false records
    income_loss: np.ndarray  # share of income lost to sanctions
    chill: np.ndarray  # drop in political criticism (float32: behave draws in float32; half the bytes to scan)
    lists: Lists  # which lists one is on (blacklists design), debts, red list
    threshold: np.ndarray | None = None  # per-agent listing thresholds set from code, else None
    beliefs: Beliefs | None = None  # perceived risk, one row per adult (``World.adult_rank``)

    @property
    def n(self) -> int:
        return self.score.shape[0]

    def dense(self, cells: np.ndarray) -> np.ndarray:
        """An (n, 6) boolean array from flat cell indexes, e.g. ``dense(violation_cells)``."""
        out = np.zeros(self.propensity.shape, bool)
        out.ravel()[cells] = True
        return out

    @property
    def violated(self) -> np.ndarray:
        """This step's true violations as an (n, 6) boolean array (for inspection, not rules)."""
        return self.dense(self.violation_cells)


@dataclass
class Companies:
    """Per-company arrays."""

    propensity: np.ndarray
    score: np.ndarray
    deducted: np.ndarray
    listed: np.ndarray
    listed_until: np.ndarray
    listed_since: np.ndarray
    violated: np.ndarray
    recorded: np.ndarray
    association_penalty: np.ndarray
    forced_listing: np.ndarray  # listed by an intervention (e.g. the company shock)
    lists: Lists
    beliefs: Beliefs | None = None  # perceived risk of each company's management

    @property
    def n(self) -> int:
        return self.score.shape[0]


@dataclass
class Society:
    """All the state of one run."""

    citizens: Citizens
    companies: Companies
    ties: Ties
    step: int = 0


def new_citizens(n: int, propensity: np.ndarray, initial_score: float) -> Citizens:
    """Citizens with clean records and full scores."""
    zeros = lambda dtype=np.float64: np.zeros(n, dtype=dtype)  # noqa: E731
    return Citizens(
        propensity=propensity,
        score=np.full(n, float(initial_score)),
        deducted=np.zeros((n, len(Domain))), deducted_false=zeros(), rewarded=zeros(),
        association_penalty=zeros(), company_penalty=zeros(), kin_penalty=zeros(),
        listed=zeros(bool), listed_until=np.full(n, -1, np.int32), listed_since=np.full(n, -1, np.int32),
        times_listed=zeros(np.int32), cause=zeros(np.int8),
        offence_domains=np.zeros((n, len(Domain)), bool),
        ever_violated=zeros(bool),
        violation_cells=NO_CELLS, detectability=np.zeros(0, np.float32), record_cells=NO_CELLS,
        false_cells=NO_CELLS,
        income_loss=zeros(), chill=np.zeros(n, np.float32), lists=Lists.empty(n),
    )


def new_companies(m: int, propensity: np.ndarray, initial_score: float) -> Companies:
    """Companies with clean records."""
    return Companies(
        propensity=propensity, score=np.full(m, float(initial_score)), deducted=np.zeros(m),
        listed=np.zeros(m, bool), listed_until=np.full(m, -1, np.int32),
        listed_since=np.full(m, -1, np.int32), violated=np.zeros((m, len(Domain)), bool), recorded=np.zeros((m, len(Domain)), bool),
        association_penalty=np.zeros(m), forced_listing=np.zeros(m, bool), lists=Lists.empty(m),
    )
