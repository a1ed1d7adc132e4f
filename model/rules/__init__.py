"""The step: the society's rules, in the order they run each month.

Read this list as the ODD "process overview and scheduling". Each rule is a
vectorised function over the state arrays, switched by the parameter
``rule_<name>``; rules marked random draw from their own stream, named after
the rule (``trustcascade.model.streams``). To add or swap a rule, write a
function ``rule(world[, rng])`` and put it in :data:`PIPELINE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..state import NO_CELLS
from ..world import StepLog, World
from .agencies import red_list
from .behave import behave
from .courts import judge, pay
from .due_process import object_to_records
from .learn import learn
from .listing import delist, list_agents
from .observe import false_records, observe
from .respond import avoid, befriend, chill
from .sanction import sanction, spill_over
from .score import associate, deduct, forgive, reward, score
from .transmit import transmit


@dataclass(frozen=True)
class Rule:
    """A named step of the society; ``random`` rules receive their own Generator."""

    name: str
    apply: Callable
    random: bool = False
    switchable: bool = True
    when_off: Callable | None = None  # what "switched off" leaves behind (e.g. no income loss)


def _no_violations(world: World) -> None:
    world.citizens.violation_cells = NO_CELLS
    world.companies.violated[:] = False


def _no_sanctions(world: World) -> None:
    """Switched off, a listing denies nothing and costs no income."""
    world.citizens.lists.denials[:] = 0
    world.companies.lists.denials[:] = 0
    world.citizens.income_loss[:] = 0


def _cleared(*fields: str) -> Callable:
    """Switched off, the rule leaves these citizen arrays at 0 (no penalty, no chill)."""
    def clear(world: World) -> None:
        for name in fields:
            getattr(world.citizens, name)[:] = 0
        world.step_log.cleared.update(fields)  # known to be 0: ``score.ledger`` skips them
    return clear


PIPELINE = (
    # 1 behave: who violates, in which domain
    Rule("behave", behave, random=True, when_off=_no_violations),
    # 2 observe: what the authority records, truly and falsely
    Rule("observe", observe, random=True),
    Rule("false_records", false_records, random=True),
    # 3 score: records cost points, good deeds earn some, records fade, contacts weigh
    Rule("deduct", deduct),
    Rule("reward", reward, random=True),
    Rule("forgive", forgive),
    Rule("associate", associate, when_off=_cleared("association_penalty", "kin_penalty")),
    Rule("score", score, switchable=False),  # ledger -> score under the scoring rule
    # 4 list / delist: objections are decided; courts judge; listings expire or are repaired;
    #   the worst (or the debtors and the agencies' findings) are listed, with a cause
    Rule("object", object_to_records, random=True),
    Rule("judge", judge, random=True),
    Rule("delist", delist),
    Rule("list", list_agents),
    Rule("transmit", transmit, random=True),  # listing passed on tie by tie (Lum et al. 2014); off at 0
    Rule("red_list", red_list),
    # 5 sanction: listed people try services and are refused, and lose income; restrictions
    #   reach representatives and managers; debtors pay under pressure
    Rule("sanction", sanction, random=True, when_off=_no_sanctions),
    Rule("spill_over", spill_over, when_off=_cleared("company_penalty")),
    Rule("pay", pay, random=True),
    # 6 respond: friends cut ties, new ties form, the listed and their circle go quiet
    Rule("avoid", avoid, random=True),
    Rule("befriend", befriend, random=True),
    Rule("chill", chill, when_off=_cleared("chill")),
    # 7 learn: at the month's end, what people saw recorded and what listings cost them and theirs
    #   shapes what they expect next month (off: everyone believes what is announced)
    Rule("learn", learn),
)


SWITCHABLE = tuple(rule.name for rule in PIPELINE if rule.switchable)
"""The rules a run can switch off, in order; each has a parameter ``rule_<name>``."""


def run_step(world: World) -> None:
    """Advance the society one month: every switched-on rule, in order."""
    world.society.step += 1
    world.step_log = StepLog()
    world.citizens.record_cells = world.citizens.false_cells = NO_CELLS
    world.companies.recorded[:] = False
    for rule in PIPELINE:
        if rule.switchable and not world.params[f"rule_{rule.name}"]:
            if rule.when_off is not None:
                rule.when_off(world)
            continue
        if rule.random:
            rule.apply(world, world.streams[rule.name])
        else:
            rule.apply(world)
