"""Citizen and Company: Mesa agents whose attributes are views of the state arrays.

So ``model.agents``, AgentSet methods and DataCollector work on them and a
student can inspect one person, while the rules work on the arrays.
"""

from __future__ import annotations

import mesa
import numpy as np

from trustcascade.model.ids import company_agent_id
from trustcascade.model.scoring import GRADES, grade
from trustcascade.model.state import Cause

from .views import ArrayView


class Citizen(mesa.Agent):
    """One person: a score, a listing, ties and a dossier, all read from the arrays."""

    score = ArrayView("citizens", "score", float, "current trust score")
    listed = ArrayView("citizens", "listed", bool, "on the blacklist now")
    times_listed = ArrayView("citizens", "times_listed", int, "listings so far")
    ever_violated = ArrayView("citizens", "ever_violated", bool, "ever truly violated")
    income_loss = ArrayView("citizens", "income_loss", float, "share of income lost to sanctions")
    association_penalty = ArrayView("citizens", "association_penalty", float, "points lost to listed contacts")

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.unique_id = int(index)  # the one id scheme: trustcascade.model.ids

    @property
    def label(self) -> str:
        """The id people see: the graph file's node id, else ``c<index>``."""
        return self.model.citizen_ids[self.index]

    @property
    def cause(self) -> str | None:
        """Primary cause of the current (or last) listing, e.g. ``"association"``."""
        code = Cause(int(self.model.world.citizens.cause[self.index]))
        return None if code is Cause.NONE else code.label

    @property
    def grade(self) -> str:
        """Grade band A..D (``trustcascade.model.scoring.grade``)."""
        return GRADES[int(self.model.grade_of(np.array([self.score]))[0])]

    @property
    def friends(self) -> list[int]:
        """Indexes of current (uncut) friends."""
        return self.model.world.friendships_of(np.array([self.index])).contact.tolist()

    @property
    def parent(self) -> int | None:
        parent = int(self.model.world.ties.parent[self.index])
        return None if parent < 0 else parent

    @property
    def employer(self) -> int | None:
        employer = int(self.model.world.ties.employer[self.index])
        return None if employer < 0 else employer

    @property
    def dossier(self) -> list[dict]:
        """Every recorded event of this person, oldest first (step, kind, domain, points, cause)."""
        return _with_labels(self.model, self.model.world.citizen_dossiers.of(self.index))


class Company(mesa.Agent):
    """One company: score, listing, legal representative, employees, partners."""

    score = ArrayView("companies", "score", float, "current trust score")
    listed = ArrayView("companies", "listed", bool, "on the blacklist now")

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = index
        self.unique_id = company_agent_id(model.world.citizens.n, int(index))

    @property
    def label(self) -> str:
        return self.model.company_ids[self.index]

    @property
    def representative(self) -> int:
        """Index of the citizen who is the company's legal representative."""
        return int(self.model.world.ties.representative[self.index])

    @property
    def employees(self) -> list[int]:
        return np.flatnonzero(self.model.world.ties.employer == self.index).tolist()

    @property
    def dossier(self) -> list[dict]:
        return _with_labels(self.model, self.model.world.company_dossiers.of(self.index))


def _with_labels(model, events: list[dict]) -> list[dict]:
    """Name the citizen or company an event refers to by its label too (``citizen_id``)."""
    if any("citizen" in e or "company" in e for e in events):
        citizens, companies = model.citizen_ids, model.company_ids
        for event in events:
            if "citizen" in event:
                event["citizen_id"] = citizens[event["citizen"]]
            if "company" in event:
                event["company_id"] = companies[event["company"]]
    return events
