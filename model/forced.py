"""Forced decisions: what some people decide themselves this month, instead of the model's draw.

A participatory class (``trustcascade classroom``) seats students as citizens. The model
knows nothing of seats: it sees, for one step, a :class:`Forced` set in
``world.forced`` that says which of a few people's decisions are fixed,
and it reports back what its own draw would have been. The rules honour it at the point
where they draw:

- ``behave``: a forced ``(person, domain)`` violates or not; everything downstream
  (recording, scores, listings, dossiers) follows through the same rules as for anyone.
  A forced violation takes its detectability from the same uniform the model drew for the
  cell, rescaled to [0, 1), so recording keeps its probability and no stream shifts.
- ``avoid``: a watched person who is the friend of someone just listed does not cut the
  tie by the model's draw this step; the draw is reported (``deferred``) so that the
  person can decide next month, and a forced cut ``(person, friend)`` is applied by
  ``avoid`` itself (same dossier entry, same tie bookkeeping).

With no ``Forced`` set the rules run exactly as before (every draw is made either way).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np



@dataclass
class Forced:
    """One month's forced decisions for a few people, and what the model drew for them."""

    watched: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # the seats
    violations: dict = field(default_factory=dict)  # (person, domain) -> violates?
    cuts: set = field(default_factory=set)  # (person, friend): the person cuts the tie now
    drawn: dict = field(default_factory=dict)  # out: (person, domain) -> the model's draw
    deferred: list = field(default_factory=list)  # out: (person, listed friend, model would cut)


def forced_of(world) -> Forced | None:
    return world.forced


def force_violations(world, hits: np.ndarray, detectability: np.ndarray, draw: np.ndarray,
                     probability_of) -> tuple[np.ndarray, np.ndarray]:
    """``behave``'s adult cells that violate (``hits``) with their detectability, after the
    forced decisions; records the model's draw of every watched person's cells.
    ``probability_of(cells)`` gives the probabilities ``behave`` drew against (sorted, distinct cells)."""
    forced = forced_of(world)
    if forced is None or forced.watched.size == 0:
        return hits, detectability
    n_domains = world.citizens.propensity.shape[1]
    rank = world.adult_rank[forced.watched]
    cells = (rank[rank >= 0, None] * n_domains + np.arange(n_domains)).ravel()
    drew = np.isin(cells, hits)
    for cell, violated in zip(cells, drew):
        forced.drawn[(int(world.adults[cell // n_domains]), int(cell % n_domains))] = bool(violated)
    wanted = {int(world.adult_rank[person]) * n_domains + domain: value
              for (person, domain), value in forced.violations.items() if world.adult_rank[person] >= 0}
    if not wanted:
        return hits, detectability
    on = np.array(sorted(cell for cell, value in wanted.items() if value), np.int64)
    off = np.array(list(wanted), np.int64)
    keep = ~np.isin(hits, off)
    added = on[world.domain_vector("weight")[on % n_domains] > 0]  # a domain switched off stays off
    # given no violation the model's uniform lies in [p, 1); rescaled it is uniform on [0, 1)
    hit_before = np.isin(added, hits)
    prob = probability_of(added)
    added_detect = np.where(hit_before, draw[added] / np.maximum(prob, 1e-30),
                            (draw[added] - prob) / np.maximum(1.0 - prob, 1e-30))
    cells = np.concatenate([hits[keep], added])
    detect = np.concatenate([detectability[keep], added_detect.astype(detectability.dtype)])
    order = np.argsort(cells, kind="stable")
    return cells[order], detect[order]


def force_ties(world, listed_person: np.ndarray, friend: np.ndarray, cut: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """``avoid``'s friendships to end, as (listed person, friend) pairs, after the forced
    decisions: watched friends' draws are deferred, forced cuts added."""
    forced = forced_of(world)
    if forced is None:
        return listed_person[cut], friend[cut]
    held = np.isin(friend, forced.watched)
    for at in np.flatnonzero(held):
        forced.deferred.append((int(friend[at]), int(listed_person[at]), bool(cut[at])))
    cut = cut & ~held
    one, other = listed_person[cut], friend[cut]
    pairs = sorted(forced.cuts)
    if pairs:
        person = np.array([p for p, _ in pairs], np.int64)
        listed = np.array([f for _, f in pairs], np.int64)
        still = world.are_friends(listed, person)
        named = set(zip(one.tolist(), other.tolist()))
        new = still & np.array([(a, b) not in named for a, b in zip(listed.tolist(), person.tolist())])
        one, other = np.concatenate([one, listed[new]]), np.concatenate([other, person[new]])
    return one, other
