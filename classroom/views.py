"""What each page shows of the class, as plain data (the pages draw it; no model logic here)."""

from __future__ import annotations

import numpy as np

from trustcascade.model.institutions import ListKind, Service
from trustcascade.model.rules.restrict import restricted_citizens
from trustcascade.model.state import Cause
from trustcascade.visualization.dossier import CAUSE_TEXT, event_line

from . import decisions
from .service import POLICY, Classroom, Seat

SHOWN_FRIENDS = 30


def restrictions_of(world, citizen: int) -> list[str]:
    """The services ``citizen`` would be refused now, and the list behind each (the model's
    own restriction table: ``rules.restrict``)."""
    people, denied_to, reasons = restricted_citizens(world)
    at = int(np.searchsorted(people, citizen))
    if at == people.size or people[at] != citizen:
        return []
    return [f"{service.label.replace('_', ' ')} refused ({ListKind(int(reasons[at, service])).label} list)"
            for service in Service if denied_to[at, service]]


def student_state(room: Classroom, seat: Seat) -> dict:
    """The student page: standing, restrictions, friends, this month's choices, messages."""
    with room.lock:
        world, model, citizen = room.run.model.world, room.run.model, seat.citizen
        c = world.citizens
        grade = "ABCD"[int(model.grade_of(c.score[citizen:citizen + 1])[0])]
        listed = bool(c.listed[citizen])
        restrictions = restrictions_of(world, citizen)
        if c.kin_penalty[citizen] > 0:
            restrictions.append(f"listed family members: -{c.kin_penalty[citizen]:.0f} points")
        if c.company_penalty[citizen] > 0:
            restrictions.append(f"your company is listed: -{c.company_penalty[citizen]:.0f} points")
        friend_ids = world.friendships_of(np.array([citizen])).contact[:SHOWN_FRIENDS]
        friend_grades = model.grade_of(c.score[friend_ids]) if friend_ids.size else np.zeros(0, int)
        chosen = room.pending.get(citizen, {})
        month_events = [event_line(e, world.ties.representative).text
                        for e in world.citizen_dossiers.of(citizen) if e["step"] == room.month and room.month > 0]
        return {
            "version": room.version, "month": room.month, "ended": room.ended,
            "name": seat.name, "citizen": citizen,
            "score": round(float(c.score[citizen]), 1), "grade": grade, "listed": listed,
            "cause": CAUSE_TEXT.get(Cause(int(c.cause[citizen])), "") if listed else "",
            "restrictions": restrictions, "last_month": month_events,
            "friends": [{"citizen": int(f), "score": round(float(c.score[f]), 1), "grade": "ABCD"[int(g)],
                         "listed": bool(c.listed[f]),
                         "student": room.by_citizen[int(f)].name if int(f) in room.by_citizen else ""}
                        for f, g in zip(friend_ids, friend_grades)],
            "choices": month_choices(room, citizen, chosen),
            "objection": decisions.OBJECTION_NOTE,
            "messages": [text for _, text in room.messages[-3:]],
        }


def month_choices(room: Classroom, citizen: int, chosen: dict) -> list[dict]:
    items = [{"key": d.key, "question": d.question, "options": [list(o) for o in d.options],
              "chosen": chosen.get(d.key, "")} for d in decisions.DOMAIN_DECISIONS]
    for friend in room.friend_decisions.get(citizen, {}):
        key = decisions.friend_key(friend)
        items.append({"key": key, "question": f"Your friend, citizen {friend}, was just listed.",
                      "options": [list(o) for o in decisions.TIE_OPTIONS], "chosen": chosen.get(key, "")})
    return items


def teacher_state(room: Classroom) -> dict:
    """The console: seats, the month, the timer, the policy in force."""
    with room.lock:
        c, params = room.run.model.world.citizens, room.run.model.params
        seats = [{"name": s.name, "citizen": s.citizen, "connected": room.connected(s),
                  "chosen": bool(room.pending.get(s.citizen)), "listed": bool(c.listed[s.citizen]),
                  "score": round(float(c.score[s.citizen]), 1)}
                 for s in sorted(room.seats.values(), key=lambda s: s.citizen)]
        upcoming = room.run.model.schedule_of_changes.get(room.month + 1, {})
        return {"version": room.version, "month": room.month, "seats": seats, "auto": room.auto_seconds,
                "paused": room.paused, "view": room.view, "ended": room.ended,
                "policy": {name: upcoming.get(name, params[name]) for name in POLICY},
                "messages": [text for _, text in room.messages[-3:]],
                "listed_share": round(float(c.listed.mean()), 4)}


def projector_state(room: Classroom) -> dict:
    """Which citizens to ring and label, the view, the month."""
    with room.lock:
        return {"version": room.version, "month": room.month, "view": room.view, "ended": room.ended,
                "seats": [{"name": s.name, "citizen": s.citizen} for s in room.seats.values()],
                "messages": [text for _, text in room.messages[-1:]]}
