"""What the dossier panel shows of one citizen: events, score over time, and why they are listed.

Reads the model's own records -- the dossier events (``world.citizen_dossiers``), the
primary cause of each listing (``citizens.cause``) and the ties (parent, employer, company
representative) -- and phrases them for a student. No model logic: the chain of causes is
the one the listing rule wrote (``model/rules/listing.py``: own records, false records,
listed friends, listed family members, a listed company).

Score over time: the model keeps no per-person score history, so each society keeps
:class:`ScoreHistory`, a float32 ring buffer of every citizen's score over the last
``capacity`` steps (a fixed memory budget per society), plus a full history from the moment
a citizen is selected for the few citizens looked at.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from trustcascade.model.dossier import Event
from trustcascade.model.institutions import ListKind, Service
from trustcascade.model.state import Cause

HISTORY_BYTES = 4_000_000
"""Memory for the ring buffer of all scores, per society: 1,000 steps at 1,000 citizens, 100 at
10,000, 20 at 50,000, 5 at the page's largest society (200,000)."""
MAX_HISTORY_STEPS = 1000
PINNED = 16
"""Citizens whose score is followed for the rest of the run once selected (oldest dropped)."""
SHOWN_EVENTS = 60
"""Most recent events listed in the panel (the chain of causes is always complete)."""

CAUSE_TEXT = {
    Cause.OWN: "their own record", Cause.FALSE_RECORD: "a false record (a violation that never happened)",
    Cause.COMPANY: "their company being listed", Cause.KIN: "guilt by association: listed family members",
    Cause.ASSOCIATION: "guilt by association: listed friends",
}
"""The primary cause of a listing, in words."""


class ScoreHistory:
    """Scores of all citizens over the last ``capacity`` steps, and longer for pinned citizens.

    Parameters
    ----------
    n : int
        Number of citizens.
    budget : int
        Bytes for the ring buffer (float32 per citizen per step).
    """

    def __init__(self, n: int, budget: int = HISTORY_BYTES):
        self.capacity = int(np.clip(budget // (4 * max(n, 1)), 2, MAX_HISTORY_STEPS))
        self.scores = np.zeros((self.capacity, n), np.float32)
        self.steps = np.full(self.capacity, -1, np.int64)
        self.recorded = 0
        self.pinned: OrderedDict[int, list[tuple[int, float]]] = OrderedDict()

    def record(self, step: int, score: np.ndarray) -> None:
        """Keep this step's scores (oldest step dropped when full)."""
        slot = self.recorded % self.capacity
        self.scores[slot] = score
        self.steps[slot] = step
        self.recorded += 1
        for citizen, points in self.pinned.items():
            points.append((step, float(score[citizen])))

    def pin(self, citizen: int) -> None:
        """Follow ``citizen`` from now on, starting from what the ring buffer still holds."""
        if citizen in self.pinned:
            self.pinned.move_to_end(citizen)
            return
        steps, scores = self.ring_of(citizen)
        self.pinned[citizen] = list(zip(steps.tolist(), scores.tolist()))
        while len(self.pinned) > PINNED:
            self.pinned.popitem(last=False)

    def ring_of(self, citizen: int) -> tuple[np.ndarray, np.ndarray]:
        kept = min(self.recorded, self.capacity)
        slots = (np.arange(self.recorded - kept, self.recorded) % self.capacity)
        return self.steps[slots], self.scores[slots, citizen].astype(np.float64)

    def of(self, citizen: int) -> tuple[np.ndarray, np.ndarray]:
        """(steps, scores) of one citizen, oldest first."""
        if citizen in self.pinned:
            points = np.array(self.pinned[citizen], np.float64).reshape(-1, 2)
            return points[:, 0].astype(np.int64), points[:, 1]
        return self.ring_of(citizen)


@dataclass
class Line:
    """One line of the panel; ``citizen`` makes it a link to that person (None: plain text)."""

    text: str
    citizen: int | None = None
    step: int | None = None


@dataclass
class Dossier:
    """What the panel shows of one citizen."""

    citizen: int
    headline: str
    cause: str = ""
    chain: list[Line] = field(default_factory=list)
    ties: list[Line] = field(default_factory=list)
    events: list[Line] = field(default_factory=list)
    steps: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    threshold: float = 0.0


def event_line(event: dict, representative: np.ndarray, memoranda=None) -> Line:
    """One dossier event in words, linked to the person it names."""
    kind, step, points = Event.named(event["kind"]), event["step"], event["points"]
    if kind is Event.RECORD:
        return Line(f"recorded violation, {event['domain']} ({points:+.0f} points)", step=step)
    if kind is Event.FALSE_RECORD:
        return Line(f"FALSE record, {event['domain']} ({points:+.0f} points; it never happened)", step=step)
    if kind is Event.REWARD:
        return Line(f"good deed rewarded ({points:+.0f} points)", step=step)
    if kind is Event.LISTED:
        where = f" on the {event['list']} list" if event.get("list") not in (None, "score") else ""
        return Line(f"LISTED{where}, primary cause: {CAUSE_TEXT[Cause[event['cause'].upper()]]}", step=step)
    if kind is Event.DELISTED:
        return Line("delisted", step=step)
    if kind is Event.VIA_CONTACT:
        return Line(f"listed contact counted against them: citizen {event['citizen']}", event["citizen"], step)
    if kind is Event.VIA_FAMILY:
        return Line(f"listed family member counted against them: citizen {event['citizen']}", event["citizen"],
                    step)
    if kind is Event.VIA_COMPANY:
        company = event["company"]
        if company < 0:
            return Line(f"their listed company ({points:+.0f} points)", step=step)
        boss = int(representative[company])
        return Line(f"listed company {company}, represented by citizen {boss} ({points:+.0f} points)", boss, step)
    if kind is Event.TIE_CUT:
        return Line(f"friend cut the tie: citizen {event['citizen']}", event["citizen"], step)
    if kind is Event.DENIED:
        return Line(denial_text(event, memoranda), step=step)
    if kind is Event.JUDGMENT:
        return Line(f"ordered by a court to pay {-points:,.0f} yuan", step=step)
    if kind is Event.PAID:
        return Line(f"paid the judgment debt ({points:,.0f} yuan): off the court list", step=step)
    if kind is Event.OBJECTION_FILED:
        return Line(f"objected to a {event['domain']} record", step=step)
    if kind is Event.OBJECTION_UPHELD:
        return Line(f"objection upheld: the {event['domain']} record is removed ({points:+.0f} points)", step=step)
    return Line(kind.label.replace("_", " "), step=step)


def denial_text(event: dict, memoranda=None) -> str:
    """"flight refused \u2014 court list, <memorandum> 2016" for a DENIED dossier event."""
    service, kind = Service[event["service"].upper()], event.get("list")
    text = f"{service.label.replace('_', ' ')} refused"
    if kind:
        text += f" \u2014 {kind} list"
        source = memoranda.source(ListKind[kind.upper()], service) if memoranda is not None else ""
        text += f", {source}" if source else ""
    return text


def listing_chain(events: list[dict], representative: np.ndarray) -> tuple[int | None, list[Line]]:
    """The step of the latest listing and what led to it.

    Own and false records since the listing before (or the start), summed by domain, then the
    contacts, family members and company the listing rule named at that step.
    """
    kinds = [Event.named(event["kind"]) for event in events]
    listings = [k for k, kind in enumerate(kinds) if kind is Event.LISTED]
    if not listings:
        return None, []
    at = listings[-1]
    step = events[at]["step"]
    since = max([events[k]["step"] for k in range(at) if kinds[k] is Event.DELISTED], default=-1)
    totals: dict[tuple[Event, str], list[float]] = {}
    for event, kind in zip(events[:at + 1], kinds):
        if kind in (Event.RECORD, Event.FALSE_RECORD) and since < event["step"] <= step:
            entry = totals.setdefault((kind, event["domain"]), [0, 0.0])
            entry[0] += 1
            entry[1] += event["points"]
    chain = [Line(f"{'own record' if kind is Event.RECORD else 'FALSE record'}, {domain}: "
                  f"{count} x ({points:+.0f} points)", step=step)
             for (kind, domain), (count, points) in totals.items()]
    chain += [event_line(event, representative) for event, kind in zip(events, kinds)
              if event["step"] == step and kind in (Event.VIA_CONTACT, Event.VIA_COMPANY, Event.VIA_FAMILY)]
    return step, distinct(chain)


def distinct(lines: list[Line]) -> list[Line]:
    """``lines`` without repeats (a contact who is both friend and family is named once)."""
    seen: set[tuple] = set()
    return [line for line in lines if not ((line.text, line.step) in seen or seen.add((line.text, line.step)))]


def dossier_of(run, citizen: int) -> Dossier | None:
    """The panel's view of ``citizen`` in a :class:`~trustcascade.visualization.live.LiveRun`."""
    if not 0 <= citizen < run.n:
        return None
    model, world = run.model, run.model.world
    with run.lock:  # reading the dossier merges its chunks: not while a step appends to them
        events = world.citizen_dossiers.of(citizen)
        c, ties = world.citizens, world.ties
        score, listed, cause = float(c.score[citizen]), bool(c.listed[citizen]), Cause(int(c.cause[citizen]))
        grade = "ABCD"[int(model.grade_of(c.score[citizen:citizen + 1])[0])]
        parent, employer = int(ties.parent[citizen]), int(ties.employer[citizen])
        children = np.flatnonzero(ties.parent == citizen)[:6].tolist()
        represents = np.flatnonzero(ties.representative == citizen).tolist()
        representative = ties.representative.copy()
        friend_ids = world.friendships_of(np.array([citizen])).contact
        friend_listed = int(c.listed[friend_ids].sum())
        threshold = float(model.params["listing_threshold"])
        steps, scores = run.history.of(citizen)
        step_now, since = world.step, int(c.listed_since[citizen])
    state = (f"listed (since step {since})" if listed
             else "not listed" + (" (was listed before)" if any(Event.named(e["kind"]) is Event.LISTED for e in events)
                                  else ""))
    headline = f"Citizen {citizen}: score {score:.0f}, grade {grade}, {state}, step {step_now}"
    listed_at, chain = listing_chain(events, representative)
    cause_text = CAUSE_TEXT.get(cause, "") if listed_at is not None else ""
    tie_lines = [Line(f"parent: citizen {parent}", parent)] if parent >= 0 else []
    tie_lines += [Line(f"child: citizen {child}", int(child)) for child in children]
    if employer >= 0:
        boss = int(representative[employer])
        tie_lines.append(Line(f"works for company {employer}, represented by citizen {boss}", boss))
    tie_lines += [Line(f"legal representative of company {company}") for company in represents]
    tie_lines.append(Line(f"{friend_ids.size} friends, {friend_listed} of them listed"))
    shown = distinct([event_line(event, representative, world.memoranda) for event in events[::-1]])[:SHOWN_EVENTS]
    return Dossier(citizen, headline, cause_text, chain, tie_lines, shown, steps, scores, threshold)


def score_svg(steps: np.ndarray, scores: np.ndarray, threshold: float, width: int = 320, height: int = 110) -> str:
    """A small line chart of one citizen's score, with the listing threshold dashed (inline SVG)."""
    if steps.size == 0:
        return ""
    left, right, top, bottom = 40, 8, 8, 20
    low = min(float(scores.min()), threshold) - 10
    high = max(float(scores.max()), threshold) + 10
    first, last = int(steps[0]), max(int(steps[-1]), int(steps[0]) + 1)
    x = left + (steps - first) / (last - first) * (width - left - right)
    y = top + (high - scores) / (high - low) * (height - top - bottom)
    ty = top + (high - threshold) / (high - low) * (height - top - bottom)
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y))
    text = 'font-size="10" font-family="sans-serif" fill="#333"'
    return (f'<svg class="tc-score-chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<rect width="{width}" height="{height}" fill="#fff" stroke="#ddd"/>'
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#D55E00" '
            f'stroke-dasharray="4 3"/>'
            f'<polyline points="{points}" fill="none" stroke="#0072B2" stroke-width="1.5"/>'
            f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" {text}>{high:.0f}</text>'
            f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end" {text}>{low:.0f}</text>'
            f'<text x="{left}" y="{height - 6}" {text}>step {first}</text>'
            f'<text x="{width - right}" y="{height - 6}" text-anchor="end" {text}>{int(steps[-1])}</text>'
            f'<text x="{width - right}" y="{ty - 3:.1f}" text-anchor="end" {text}>listing threshold</text></svg>')
