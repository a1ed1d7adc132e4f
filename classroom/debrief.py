"""The debrief: each student's dossier and why they were listed, back to whoever started it;
the class's counts; who cut whom; and the same society with the model playing every seat.

Everything is read from the model's own records (dossier events, listing causes); the
comparison run is a fresh :class:`TrustCascade` with the class's seed, preset, size and the
teacher's policy changes at the same months, and no seats.
"""

from __future__ import annotations

import numpy as np

from trustcascade.model.dossier import Event
from trustcascade.model.state import Cause
from trustcascade.visualization.dossier import CAUSE_TEXT, dossier_of

MAX_CHAIN = 8
_replays: dict[tuple, dict] = {}


def origin_chain(world, citizen: int, step: int) -> list[dict]:
    """Who listed whom: from ``citizen``'s listing at or before ``step`` back, link by link
    (the contact, parent or company named by the listing rule), to a listing by a person's
    own or false record."""
    cols = world.citizen_dossiers.columns()
    chain, seen = [], set()
    person, at = citizen, step
    while person not in seen and len(chain) < MAX_CHAIN:
        seen.add(person)
        mine = cols["agent"] == person
        listings = np.flatnonzero(mine & (cols["kind"] == Event.LISTED) & (cols["step"] <= at))
        if listings.size == 0:
            break
        when = int(cols["step"][listings[-1]])
        cause = Cause(int(cols["via"][listings[-1]]))
        chain.append({"citizen": person, "month": when, "cause": cause.label, "why": CAUSE_TEXT.get(cause, "")})
        links = np.flatnonzero(mine & (cols["step"] == when) & np.isin(cols["kind"], [Event.VIA_CONTACT,
                                                                                     Event.VIA_FAMILY]))
        if cause in (Cause.OWN, Cause.FALSE_RECORD) or links.size == 0:
            if cause == Cause.COMPANY:
                chain[-1]["why"] += " (a company, listed on its own record)"
            break
        person, at = int(cols["via"][links[0]]), when
    return chain


def model_replay(room) -> dict:
    """The class's society with the model playing every seat, to the class's month (cached)."""
    from trustcascade.model.model import TrustCascade

    schedule: dict[int, dict] = {}
    for month, name, value in room.policy_log:
        schedule.setdefault(month, {})[name] = value
    key = (room.meta["seed"], room.meta["preset"], room.meta["citizens"], room.month, repr(sorted(schedule.items())))
    if key not in _replays:
        model = TrustCascade(rng=room.meta["seed"], preset=room.meta["preset"], agents=False,
                             schedule=schedule, n_citizens=room.meta["citizens"])
        table = model.run(room.month)
        c = model.world.citizens
        _replays.clear()
        _replays[key] = {"listed": c.listed.copy(), "ever_listed": c.times_listed > 0, "score": c.score.copy(),
                         "table": table}
    return _replays[key]


def debrief(room) -> dict:
    """Everything the debrief page shows (computed on request)."""
    with room.lock:
        world = room.run.model.world
        c = world.citizens
        seats = sorted(room.seats.values(), key=lambda s: s.citizen)
        names = {s.citizen: s.name for s in seats}
        students = []
        for seat in seats:
            dossier = dossier_of(room.run, seat.citizen)
            students.append({
                "name": seat.name, "citizen": seat.citizen, "headline": dossier.headline,
                "cause": dossier.cause, "chain": [line.text for line in dossier.chain],
                "origin": origin_chain(world, seat.citizen, room.month) if c.times_listed[seat.citizen] else [],
                "events": [f"month {line.step}: {line.text}" for line in dossier.events[:20]],
                "choices": sum(1 for r in room.rows if r["citizen"] == seat.citizen and r["choice"]),
                "differed": sum(1 for r in room.rows if r["citizen"] == seat.citizen and r["choice"]
                                and r["choice"] != r["model_default"]),
            })
        cols = world.citizen_dossiers.columns()
        cuts = np.flatnonzero(cols["kind"] == Event.TIE_CUT)
        cut_rows = [(int(cols["step"][k]), int(cols["via"][k]), int(cols["agent"][k])) for k in cuts]
        who_cut = [{"month": m, "cutter": names.get(cutter, f"citizen {cutter}"),
                    "cut": names.get(listed, f"citizen {listed}")}
                   for m, cutter, listed in cut_rows if cutter in names or listed in names]
        seated = np.array([s.citizen for s in seats], np.int64)
        ever = c.times_listed > 0
        counts = {
            "month": room.month, "students": len(seats),
            "students_ever_listed": int(ever[seated].sum()) if seats else 0,
            "students_listed_without_violating": int((ever & ~c.ever_violated)[seated].sum()) if seats else 0,
            "society_listed_now": int(c.listed.sum()),
            "society_listed_without_violating": int((c.listed & ~c.ever_violated).sum()),
            "ties_cut": int(world.ties.cut_total),
            "ties_cut_involving_students": len(who_cut),
        }
    replay = model_replay(room)
    comparison = {
        "class_listed_share": float(c.listed.mean()), "model_listed_share": float(replay["listed"].mean()),
        "students_ever_listed_class": counts["students_ever_listed"],
        "students_ever_listed_model": int(replay["ever_listed"][seated].sum()) if seats else 0,
        "series_class": room.run.model.table()["listed_share"].round(4).tolist(),
        "series_model": replay["table"]["listed_share"].round(4).tolist(),
        "students": [{"name": s.name, "class_listed": bool(c.listed[s.citizen]),
                      "model_listed": bool(replay["listed"][s.citizen]),
                      "class_score": round(float(c.score[s.citizen]), 1),
                      "model_score": round(float(replay["score"][s.citizen]), 1)} for s in seats],
    }
    return {"students": students, "counts": counts, "who_cut": who_cut[-200:], "comparison": comparison}
