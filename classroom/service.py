"""The class: one shared society, the seats, this month's choices, and the journal.

Every action is checked first (a refusal is one line and changes nothing), then appended
to the journal, then applied by :meth:`Classroom._apply` -- the same code that replays the
journal after a restart, so a restored class is the class that was. The model knows
nothing of seats: a month is one model step with a :class:`~trustcascade.model.forced.Forced`
set for the seated citizens (``model/forced.py``).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from trustcascade.model.forced import Forced
from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError
from trustcascade.model.streams import resolve_seed
from trustcascade.visualization.live import LiveRun

from . import decisions
from .journal import Journal

MAX_SEATS = 60
MAX_NAME = 40
MAX_MONTHS = 240
MAX_MESSAGE = 280
KEPT_MESSAGES = 20
RATE_WINDOW, RATE_ACTIONS = 10.0, 20
"""A seat may act at most RATE_ACTIONS times in RATE_WINDOW seconds."""
CONNECTED_WITHIN = 6.0
"""A seat counts as connected if its page asked for news within this many seconds."""
POLICY = {"sanction_scope": "scope", "association_weight": "association weight",
          "surveillance_coverage": "coverage"}
"""The parameters the teacher may change during the class (name: what the console calls it)."""
VIEWS = ("network", "charts", "debrief")
MAX_AUTO = 600


class Refused(Exception):
    """An action refused, with a one-line reason; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Seat:
    token: str
    name: str
    citizen: int
    joined: int
    seen: float = 0.0  # last time its page asked (not journaled: connection is not class state)
    actions: list = field(default_factory=list)  # times of recent actions (rate limit)


class Classroom:
    """The class held by the server.

    Parameters
    ----------
    journal : path of the SQLite journal; if it holds a class, that class is restored (its
        preset, size, seed and key win over the other arguments).
    preset, citizens, seed : the society of a new class.
    """

    def __init__(self, journal: Path, preset: str | None = "classroom", citizens: int = 1000, seed=None):
        self.journal = Journal(journal)
        meta = self.journal.meta()
        if not meta:
            params = SCHEMA.resolve({"n_citizens": citizens}, base=_preset_params(preset))
            meta = {"seed": resolve_seed(seed), "preset": preset, "citizens": params["n_citizens"],
                    "key": secrets.token_urlsafe(18), "created": time.time()}
            self.journal.set_meta(meta)
        self.meta = meta
        self.key = meta["key"]
        self.run = LiveRun(meta["preset"], {"n_citizens": meta["citizens"]}, meta["seed"])
        self.lock = threading.RLock()
        self.version = 0
        self.seats: dict[str, Seat] = {}
        self.used: set[int] = set()  # citizens ever seated (a removed seat is not given again)
        self.by_citizen: dict[int, Seat] = {}
        self.pending: dict[int, dict[str, str]] = {}  # citizen -> {decision: option} this month
        self.friend_decisions: dict[int, dict[int, bool]] = {}  # citizen -> {listed friend: model cuts}
        self.rows: list[dict] = []  # one per seat and decision and month (the export)
        self.policy_log: list[tuple[int, str, object]] = []  # (month it takes effect, name, value)
        self.messages: list[tuple[int, str]] = []
        self.auto_seconds, self.paused, self.view, self.ended = 0, False, "network", False
        self.last_advance = time.monotonic()
        self._order = seat_order(self.run.model, meta["seed"])
        events = self.journal.events()
        for _seq, _at, kind, data in events:
            self._apply(kind, data)
        self.restored = len(events)

    # --- reading -------------------------------------------------------------------------------
    @property
    def month(self) -> int:
        """Months lived so far (the model's step); choices are for month + 1."""
        return self.run.step_number

    def seat(self, token: str) -> Seat:
        seat = self.seats.get(token) if isinstance(token, str) else None
        if seat is None:
            raise Refused("seat: unknown or removed seat; join again", 404)
        return seat

    def check_key(self, key) -> None:
        if not isinstance(key, str) or not secrets.compare_digest(key.encode(), self.key.encode()):
            raise Refused("key: the teacher's key is missing or wrong", 403)

    def connected(self, seat: Seat) -> bool:
        return time.monotonic() - seat.seen < CONNECTED_WITHIN

    # --- actions (checked, journaled, applied) ---------------------------------------------------
    def join(self, name) -> str:
        """Seat a student; their token (kept by their browser)."""
        name = clean_text(name, "Your name", MAX_NAME)
        with self.lock:
            self._open()
            if len(self.seats) >= MAX_SEATS:
                raise Refused(f"seats: the class is full ({MAX_SEATS} seats)", 409)
            citizen = next((int(c) for c in self._order if int(c) not in self.used), None)
            if citizen is None:
                raise Refused("seats: no citizen left to seat", 409)
            token = secrets.token_urlsafe(18)
            self._record("join", {"name": name, "token": token, "citizen": citizen})
            return token

    def choose(self, token, key, option) -> None:
        with self.lock:
            seat = self.seat(token)
            self._open()
            self._rate(seat)
            if not isinstance(key, str) or not isinstance(option, str):
                raise Refused("choice: give a decision and an option as text")
            problem = decisions.check_choice(key, option, self.friend_decisions.get(seat.citizen, {}))
            if problem:
                raise Refused(problem)
            self._record("choice", {"citizen": seat.citizen, "key": key, "option": option,
                                    "month": self.month + 1})

    def advance(self, by: str = "teacher") -> None:
        with self.lock:
            self._open()
            if self.month >= MAX_MONTHS:
                raise Refused(f"month: the class is limited to {MAX_MONTHS} months", 409)
            self._record("month", {"month": self.month + 1, "by": by})

    def teacher(self, action: str, value=None) -> None:
        """Every console action but ``Next month``: kick, broadcast, policy, auto, pause, view, end."""
        with self.lock:
            self._open()
            data = self._checked_teacher_action(action, value)
            self._record(action, data)

    def _checked_teacher_action(self, action: str, value) -> dict:
        if action == "kick":
            if not (isinstance(value, int) and value in self.by_citizen):
                raise Refused("kick: give the citizen number of a seated student")
            return {"citizen": value}
        if action == "broadcast":
            return {"text": clean_text(value, "message", MAX_MESSAGE)}
        if action == "auto":
            if not (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= MAX_AUTO):
                raise Refused(f"auto: seconds between months must be a number in [0, {MAX_AUTO}] (0 = off)")
            return {"seconds": float(value)}
        if action == "pause":
            if not isinstance(value, bool):
                raise Refused("pause: true or false")
            return {"paused": value}
        if action == "view":
            if value not in VIEWS:
                raise Refused(f"view: one of {', '.join(VIEWS)}")
            return {"view": value}
        if action == "end":
            return {}
        if action == "policy":
            if not (isinstance(value, dict) and value.get("name") in POLICY):
                raise Refused(f"policy: name must be one of {', '.join(POLICY)}")
            name, text = value["name"], str(value.get("value", ""))[:40]
            try:
                parsed = SCHEMA.parse_assignment(f"{name}={text}")[1]
                SCHEMA.resolve({**self.run.model.params, name: parsed})
            except ParameterError as error:
                raise Refused(f"policy: {error}") from None
            return {"name": name, "value": parsed, "month": self.month + 1}
        raise Refused(f"action: unknown teacher action {str(action)[:30]!r}")

    def seen(self, token: str) -> Seat:
        with self.lock:
            seat = self.seat(token)
            seat.seen = time.monotonic()
            return seat

    def _open(self) -> None:
        if self.ended:
            raise Refused("class: the class has ended", 409)

    def _rate(self, seat: Seat) -> None:
        now = time.monotonic()
        seat.actions = [t for t in seat.actions if now - t < RATE_WINDOW]
        if len(seat.actions) >= RATE_ACTIONS:
            raise Refused(f"rate: at most {RATE_ACTIONS} choices in {RATE_WINDOW:.0f} s; wait a moment", 429)
        seat.actions.append(now)

    def _record(self, kind: str, data: dict) -> None:
        self.journal.append(kind, data)  # on disk before it takes effect
        self._apply(kind, data)

    # --- applying (live and on replay) --------------------------------------------------------
    def _apply(self, kind: str, data: dict) -> None:
        getattr(self, f"_apply_{kind}")(data)
        self.version += 1

    def _apply_join(self, data: dict) -> None:
        seat = Seat(data["token"], data["name"], int(data["citizen"]), self.month)
        self.seats[seat.token] = self.by_citizen[seat.citizen] = seat
        self.used.add(seat.citizen)

    def _apply_choice(self, data: dict) -> None:
        if data["citizen"] in self.by_citizen and data["month"] == self.month + 1:
            self.pending.setdefault(data["citizen"], {})[data["key"]] = data["option"]

    def _apply_kick(self, data: dict) -> None:
        seat = self.by_citizen.pop(data["citizen"])
        del self.seats[seat.token]
        self.pending.pop(seat.citizen, None)
        self.friend_decisions.pop(seat.citizen, None)

    def _apply_broadcast(self, data: dict) -> None:
        self.messages = (self.messages + [(self.month, data["text"])])[-KEPT_MESSAGES:]

    def _apply_auto(self, data: dict) -> None:
        self.auto_seconds = data["seconds"]
        self.last_advance = time.monotonic()

    def _apply_pause(self, data: dict) -> None:
        self.paused = data["paused"]
        self.last_advance = time.monotonic()

    def _apply_view(self, data: dict) -> None:
        self.view = data["view"]

    def _apply_end(self, data: dict) -> None:
        self.ended, self.view = True, "debrief"

    def _apply_policy(self, data: dict) -> None:
        self.run.change(data["name"], data["value"])
        self.policy_log.append((data["month"], data["name"], data["value"]))

    def _apply_month(self, data: dict) -> None:
        """One month: the seats' choices forced, the rest of their decisions drawn by the model."""
        world = self.run.model.world
        seated = sorted(self.by_citizen)
        forced = Forced(watched=np.array(seated, np.int64))
        for citizen in seated:
            chosen = self.pending.get(citizen, {})
            for decision in decisions.DOMAIN_DECISIONS:
                if decision.key in chosen:
                    forced.violations[(citizen, decision.domain)] = decision.violates(chosen[decision.key])
            for friend, model_cuts in self.friend_decisions.get(citizen, {}).items():
                option = chosen.get(decisions.friend_key(friend))
                if option == "cut" or (option is None and model_cuts):
                    forced.cuts.add((citizen, friend))
        world.forced = forced
        try:
            self.run.step()
        finally:
            world.forced = None
        self._log_month(seated, forced)
        self.pending = {}
        self.friend_decisions = {}
        for person, friend, model_cuts in forced.deferred:
            self.friend_decisions.setdefault(person, {})[friend] = model_cuts
        self.last_advance = time.monotonic()

    def _log_month(self, seated: list[int], forced: Forced) -> None:
        c, month = self.run.model.world.citizens, self.month
        for citizen in seated:
            chosen, seat = self.pending.get(citizen, {}), self.by_citizen[citizen]
            answers = [(d.key, chosen.get(d.key, ""), d.option_for(forced.drawn.get((citizen, d.domain), False)))
                       for d in decisions.DOMAIN_DECISIONS]
            answers += [(decisions.friend_key(friend), chosen.get(decisions.friend_key(friend), ""),
                         "cut" if model_cuts else "keep")
                        for friend, model_cuts in self.friend_decisions.get(citizen, {}).items()]
            for key, option, default in answers:
                self.rows.append({"student": seat.name, "citizen": citizen, "month": month,
                                  "choice": decisions.label(key, option),
                                  "model_default": decisions.label(key, default),
                                  "listed": bool(c.listed[citizen]), "score": float(c.score[citizen])})

    # --- the timer ----------------------------------------------------------------------------
    def tick(self) -> bool:
        """Advance if auto-advance is on, not paused, and its interval has passed."""
        with self.lock:
            due = (self.auto_seconds > 0 and not self.paused and not self.ended
                   and time.monotonic() - self.last_advance >= self.auto_seconds and self.month < MAX_MONTHS)
            if due:
                self.advance(by="timer")
            return due


def seat_order(model, seed: int) -> np.ndarray:
    """Citizens to seat, in order: adults with family and friends, not listed at the start,
    shuffled by the class's seed (a stream of its own: the model's draws are untouched)."""
    world = model.world
    ties, c = world.ties, world.citizens
    eligible = ((ties.parent < 0) & (world.friend_degree > 0) & (world.family_degree > 0) & ~c.listed)
    candidates = np.flatnonzero(eligible)
    rng = np.random.default_rng([int(seed) % 2**63, 18])
    return candidates[rng.permutation(candidates.size)]


def clean_text(value, field_name: str, limit: int) -> str:
    """Printable text of 1..limit characters, or a one-line refusal naming the field."""
    if not isinstance(value, str):
        raise Refused(f"{field_name}: give text of 1 to {limit} characters")
    text = " ".join(value.split())
    if not 1 <= len(text) <= limit or not text.isprintable():
        raise Refused(f"{field_name}: give 1 to {limit} printable characters; got {len(text)}")
    return text


def _preset_params(preset):
    if not preset:
        return None
    from trustcascade.model.presets import get

    return get(preset).params
