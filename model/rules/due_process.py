"""object: due process -- objections to records, decided after a delay, that can undo a listing.

Online objections to credit records opened on the Credit China platform in July 2020; the
credit-information regulation sets a 20-day deadline for handling them (one month here).
A person objects to a false record with ``objection_rate_false`` and to a true one with
``objection_rate_true``; after ``objection_months`` the objection is upheld with
``objection_upheld_false`` or ``objection_upheld_true``. Upheld, it removes the record (what
is left of its points after forgiveness) and any listing that no longer holds without it.
"""

from __future__ import annotations

import numpy as np

from ..domains import Domain
from ..dossier import Event
from ..institutions import AGENCY_LISTS, ListKind
from ..scoring import SCORING_RULES
from ..world import Objections, World
from .listing import listing_limit
from .lists import take_off_list
from .score import ledger_of


def object_to_records(world: World, rng: np.random.Generator) -> None:
    """Decide the objections that are due, then file this month's."""
    world.step_log.objections_upheld = _decide(world, rng)
    if world.params["objection_rate_false"] > 0 or world.params["objection_rate_true"] > 0:
        _file(world, rng)


def _file(world: World, rng: np.random.Generator) -> None:
    params, citizens, queue = world.params, world.citizens, world.objections
    weights = world.domain_vector("weight")
    cells = np.concatenate([citizens.false_cells, citizens.record_cells])
    false = np.arange(cells.size) < citizens.false_cells.size
    rate = np.where(false, params["objection_rate_false"], params["objection_rate_true"])
    filed = rng.random(cells.size) < rate
    cells, false = cells[filed], false[filed]
    points = weights[cells % len(Domain)]
    world.objections = Objections(np.concatenate([queue.cell, cells]),
                                  np.concatenate([queue.filed, np.full(cells.size, world.step, np.int32)]),
                                  np.concatenate([queue.false, false]), np.concatenate([queue.points, points]))
    who, domain = np.divmod(cells, len(Domain))
    world.citizen_dossiers.add(world.step, who, Event.OBJECTION_FILED, domain, -points)


def _decide(world: World, rng: np.random.Generator) -> int:
    """Decide the objections filed ``objection_months`` ago or earlier; return how many were upheld."""
    params, citizens, queue = world.params, world.citizens, world.objections
    due = queue.filed <= world.step - params["objection_months"]
    if not due.any():
        return 0
    chance = np.where(queue.false[due], params["objection_upheld_false"], params["objection_upheld_true"])
    upheld = rng.random(int(due.sum())) < chance
    cell, false = queue.cell[due][upheld], queue.false[due][upheld]
    left = queue.points[due][upheld] * (1.0 - params["forgiveness_rate"]) ** (world.step - queue.filed[due][upheld])
    world.objections = Objections(queue.cell[~due], queue.filed[~due], queue.false[~due], queue.points[~due])
    who, domain = np.divmod(cell, len(Domain))
    removed = np.minimum(citizens.deducted.ravel()[cell], left)
    np.subtract.at(citizens.deducted.ravel(), cell, removed)
    np.subtract.at(citizens.deducted_false, who[false], removed[false])
    np.maximum(citizens.deducted_false, 0.0, out=citizens.deducted_false)
    world.citizen_dossiers.add(world.step, who, Event.OBJECTION_UPHELD, domain, removed)
    _undo_listings(world, np.unique(who))
    return int(upheld.sum())


def _undo_listings(world: World, who: np.ndarray) -> None:
    """End the listings of ``who`` that no longer hold once their records are corrected."""
    params, citizens = world.params, world.citizens
    listed = who[citizens.listed[who]]
    if world.blacklists:
        for kind in AGENCY_LISTS:
            records = citizens.deducted[listed, kind.domain] / max(world.domain_vector("weight")[kind.domain], 1e-12)
            clear = listed[citizens.lists.on[listed, kind] & (records < params["agency_records"] - 1e-9)]
            take_off_list(world, citizens, world.citizen_dossiers, clear, kind)
        return
    limit = listing_limit(world)
    limit = limit[listed] if np.ndim(limit) else limit
    score = SCORING_RULES[params["scoring_rule"]].score(ledger_of(world, listed))
    clear = listed[score > limit]
    citizens.listed[clear] = False
    citizens.listed_until[clear] = -1
    world.citizen_dossiers.add(world.step, clear, Event.DELISTED, ListKind.SCORE)
