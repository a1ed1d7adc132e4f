"""The same society written the idiomatic per-agent Mesa way: a baseline for speed.

Each citizen is a ``mesa.Agent`` holding its own attributes and Python lists of its
contacts; every rule is a method looped over all agents (``model.agents.do``), as in
Mesa's examples (virus_on_network). It starts from the same world as the vectorised
model (``build_world``: same ties, propensities, employers) and follows the same rules
in the same order, with its own draws, so the two agree in distribution, not draw for
draw. Threshold listing and the points rule only (the default preset), with fixed beliefs
(``rule_learn`` off: everyone believes the announced recording probability and listing cost;
learning is not written per agent).
"""

from __future__ import annotations

import mesa
from mesa.agentset import AgentSet
import numpy as np

from trustcascade.model.domains import Domain
from trustcascade.model.params import SCHEMA
from trustcascade.model.rules.behave import announced_deterrence
from trustcascade.model.streams import Streams, resolve_seed
from trustcascade.model.world import build_world

OWN, FALSE_RECORD, COMPANY, KIN, ASSOCIATION = 1, 2, 3, 4, 5
D = len(Domain)
FINANCIAL, POLITICAL, COMMERCIAL = Domain.FINANCIAL, Domain.POLITICAL, Domain.COMMERCIAL


class Person(mesa.Agent):
    """A citizen with its own attributes and contact lists."""

    def __init__(self, model, propensity, parent, employer, manager):
        super().__init__(model)
        self.propensity, self.parent, self.employer, self.manager = list(propensity), parent, employer, manager
        self.friends, self.family, self.children = [], [], []
        self.deducted, self.deducted_false, self.rewarded = [0.0] * D, 0.0, 0.0
        self.association_penalty = self.company_penalty = self.kin_penalty = 0.0
        self.score, self.listed, self.until, self.times_listed, self.cause = 1000.0, False, -1, 0, 0
        self.offences, self.ever_violated, self.income_loss, self.chill = set(), False, 0.0, 0.0
        self.violations, self.next_violations, self.records, self.newly_listed = [], [], [], False

    def behave(self):
        m, p = self.model, self.model.p
        self.next_violations = []
        if self.parent >= 0:  # children do not violate
            return
        for d in range(D):
            prob = self.propensity[d] * m.deterrence[d]
            if d == FINANCIAL:
                prob *= 1 + p["strain"] * self.income_loss
            if d == POLITICAL:
                prob *= 1 - self.chill
            if p["conformity"] > 0 and self.friends:
                seen = sum(1 for f in self.friends if d in (v for v, _ in f.violations)) / len(self.friends)
                prob = (1 - p["conformity"]) * prob + p["conformity"] * seen
            if m.weights[d] == 0:
                continue
            u = m.rng.random()
            if u < prob:
                self.next_violations.append((d, u / prob))
                self.ever_violated = True

    def commit(self):
        self.violations = self.next_violations

    def observe(self):
        m, p = self.model, self.model.p
        inspected = self.listed and m.rng.random() < p["inspection_rate"]
        coverage = m.supervised if self.listed else m.coverage
        self.records = [(d, False) for d, u in self.violations if inspected or u < coverage[d]]
        violated = {d for d, _ in self.violations}
        for d in range(D):
            if d not in violated and m.weights[d] > 0 and m.rng.random() < p["record_error_rate"] * coverage[d]:
                self.records.append((d, True))

    def deduct(self):
        for d, false in self.records:
            self.deducted[d] += self.model.weights[d]
            self.deducted_false += self.model.weights[d] if false else 0.0

    def reward(self):
        if self.model.rng.random() < self.model.p["reward_probability"]:
            self.rewarded += self.model.p["reward_points"]

    def forgive(self):
        keep = 1 - self.model.p["forgiveness_rate"]
        self.deducted = [x * keep for x in self.deducted]
        self.deducted_false *= keep
        self.rewarded *= keep

    def associate(self):
        contacts = self.friends + self.family
        self.share = sum(1 for c in contacts if c.listed) / len(contacts) if contacts else 0.0
        self.association_penalty = self.model.p["association_weight"] * self.share

    def rescore(self):
        points = (1000.0 - sum(self.deducted) + self.rewarded - self.association_penalty
                  - self.company_penalty - self.kin_penalty)
        self.score = min(max(points, 0.0), 2000.0)

    def delist(self):
        p, step = self.model.p, self.model.steps
        if self.listed and (self.until <= step or self.score >= p["listing_threshold"] + p["repair_margin"]):
            self.listed, self.until, self.offences = False, -1, set()

    def enlist(self):
        p = self.model.p
        self.newly_listed = False
        if self.listed or self.parent >= 0 or self.score > p["listing_threshold"] + 1e-9 * p["listing_threshold"]:
            return  # children are never listed
        running = 1000.0 - (sum(self.deducted) - self.deducted_false) + self.rewarded
        self.cause = ASSOCIATION
        for cause, points in ((OWN, 0.0), (FALSE_RECORD, self.deducted_false),
                              (COMPANY, self.company_penalty), (KIN, self.kin_penalty)):
            running -= points
            if running <= p["listing_threshold"]:
                self.cause = cause
                break
        self.listed, self.newly_listed, self.times_listed = True, True, self.times_listed + 1
        self.until = self.model.steps + p["listing_duration"]
        self.offences = {d for d in range(D) if self.deducted[d] > 0}
        self.model.new_by_cause[self.cause] += 1

    def sanction(self):
        p, firm = self.model.p, self.model.firms[self.employer] if self.employer >= 0 else None
        joint = p["sanction_scope"] == "joint"
        cut_off = self.listed and (joint or FINANCIAL in self.offences or COMMERCIAL in self.offences)
        self.income_loss = p["sanction_income_loss"] if cut_off else 0.0
        if firm is not None and firm.listed:
            self.income_loss = max(self.income_loss, 0.5 * p["sanction_income_loss"])

    def spill_over(self):
        p, joint = self.model.p, self.model.p["sanction_scope"] == "joint"
        firm = self.model.firms[self.employer] if self.employer >= 0 else None
        restricted_with_firm = any(f.listed for f in self.represents) or (
            self.manager and firm is not None and firm.listed)
        self.company_penalty = p["company_penalty"] if joint and restricted_with_firm else 0.0
        self.kin_penalty = 0.0  # a listed parent costs a child a school place, not points

    def avoid(self):
        if not self.newly_listed:
            return
        for friend in list(self.friends):
            if self.model.rng.random() < self.model.p["avoidance_probability"]:
                self.friends.remove(friend)
                friend.friends.remove(self)

    def quiet(self):
        self.chill = self.model.p["chilling_effect"] * max(float(self.listed), self.share)


class Firm(mesa.Agent):
    """A company: own violations, business partners, listing."""

    def __init__(self, model, propensity):
        super().__init__(model)
        self.propensity, self.partners, self.deducted, self.listed, self.until = list(propensity), [], 0.0, False, -1
        self.score = 1000.0

    def rescore(self):
        m, p = self.model, self.model.p
        for d in range(D):
            if m.weights[d] and m.rng.random() < self.propensity[d] * m.deterrence[d] and m.rng.random() < m.coverage[d]:
                self.deducted += m.weights[d]
        self.deducted *= 1 - p["forgiveness_rate"]
        share = sum(1 for f in self.partners if f.listed) / len(self.partners) if self.partners else 0.0
        self.score = 1000.0 - self.deducted - p["association_weight"] * share

    def relist(self):
        m, p = self.model, self.model.p
        if self.listed and (self.until <= m.steps or self.score >= p["listing_threshold"] + p["repair_margin"]):
            self.listed = False
        elif not self.listed and self.score <= p["listing_threshold"]:
            self.listed, self.until = True, m.steps + p["listing_duration"]


class PerAgentSociety(mesa.Model):
    """The society with one Python object per person and a loop per rule."""

    def __init__(self, rng=None, **overrides):
        seed = resolve_seed(rng)
        super().__init__(rng=seed)
        self.p = p = SCHEMA.resolve({**overrides, "rule_learn": False})
        world = build_world(dict(p), Streams(seed))
        ties = world.ties
        self.weights = world.domain_vector("weight")
        self.deterrence = announced_deterrence(world)
        self.coverage = p["surveillance_coverage"] * world.domain_vector("visibility")
        self.supervised = np.minimum(self.coverage * p["supervision_multiplier"], 1.0)
        c = world.citizens
        self.people = [Person(self, c.propensity[i], int(ties.parent[i]), int(ties.employer[i]), bool(ties.manager[i]))
                       for i in range(c.n)]
        self.firms = [Firm(self, world.companies.propensity[k]) for k in range(world.companies.n)]
        for person in self.people:
            person.represents = []
        for k, rep in enumerate(ties.representative):
            self.people[rep].represents.append(self.firms[k])
        for layer, attribute, pool in ((ties.friends, "friends", self.people), (ties.family, "family", self.people),
                                       (ties.business, "partners", self.firms)):
            for i, member in enumerate(pool):
                setattr(member, attribute, [pool[j] for j in layer.indices[layer.indptr[i]:layer.indptr[i + 1]]])
        self.citizens = AgentSet(self.people, random=self.random)
        self.companies = AgentSet(self.firms, random=self.random)
        self.rows = []

    def step(self):
        self.new_by_cause = dict.fromkeys((OWN, FALSE_RECORD, COMPANY, KIN, ASSOCIATION), 0)
        for rule in ("behave", "commit", "observe", "deduct", "reward", "forgive", "associate", "rescore",
                     "delist", "enlist"):
            self.citizens.do(rule)
        self.companies.do("rescore")  # partners' standing as of last month, like the citizens'
        self.companies.do("relist")
        for rule in ("sanction", "spill_over", "avoid"):
            self.citizens.do(rule)
        self._befriend()
        self.citizens.do("quiet")
        listed = sum(1 for x in self.people if x.listed)
        self.rows.append({"step": self.steps, "listed_share": listed / len(self.people),
                          "new_listings": sum(self.new_by_cause.values())})

    def _befriend(self):
        n, p = len(self.people), self.p
        for _ in range(self.rng.binomial(n, p["tie_formation_rate"])):
            a, b = self.people[self.rng.integers(n)], self.people[self.rng.integers(n)]
            if a is not b and b not in a.friends and self.rng.random() < np.exp(-p["homophily"] * abs(a.score - b.score)):
                a.friends.append(b)
                b.friends.append(a)
