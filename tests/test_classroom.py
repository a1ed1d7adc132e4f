"""The participatory class without a browser: the forced-decision hook, the journal, limits."""

import numpy as np
import pandas as pd
import pytest

from trustcascade.classroom import debrief, export
from trustcascade.classroom.service import MAX_SEATS, RATE_ACTIONS, Classroom, Refused
from trustcascade.classroom.views import student_state, teacher_state
from trustcascade.model.dossier import Event
from trustcascade.model.forced import Forced
from trustcascade.model.model import TrustCascade
from trustcascade.model.domains import Domain

TRAFFIC = Domain.TRAFFIC


def step_with(model, forced):
    model.world.forced = forced
    try:
        model.step()
    finally:
        model.world.forced = None


def test_a_forced_violation_goes_through_the_same_rules_and_leaves_everyone_else_alone():
    free = TrustCascade(rng=4, n_citizens=400, agents=False, surveillance_coverage=1.0)
    held = TrustCascade(rng=4, n_citizens=400, agents=False, surveillance_coverage=1.0)
    person = int(held.world.adults[7])
    free.step()
    forced = Forced(watched=np.array([person]), violations={(person, TRAFFIC): True})
    step_with(held, forced)
    assert forced.drawn[(person, TRAFFIC)] is False  # the model's own draw, reported
    cell = person * len(Domain) + TRAFFIC
    assert cell in held.world.citizens.violation_cells and cell not in free.world.citizens.violation_cells
    others = lambda m: m.world.citizens.violation_cells[m.world.citizens.violation_cells // len(Domain) != person]
    np.testing.assert_array_equal(others(held), others(free))  # nobody else's draw moved
    events = held.world.citizen_dossiers.of(person)  # recorded and scored like anyone's violation
    assert any(e["kind"] == "record" and e["domain"] == "traffic" for e in events)
    assert 0 < held.world.citizens.deducted[person, TRAFFIC] <= held.params["weight_traffic"]
    assert free.world.citizens.deducted[person, TRAFFIC] == 0
    assert held.world.citizens.score[person] < free.world.citizens.score[person]


def test_a_forced_abstention_removes_the_drawn_violation():
    model = TrustCascade(rng=4, n_citizens=400, agents=False)
    model.step()
    cells = model.world.citizens.violation_cells
    person, domain = divmod(int(cells[0]), len(Domain))
    again = TrustCascade(rng=4, n_citizens=400, agents=False)
    forced = Forced(watched=np.array([person]), violations={(person, domain): False})
    step_with(again, forced)
    assert forced.drawn[(person, domain)] is True
    assert int(cells[0]) not in again.world.citizens.violation_cells


def test_a_seat_decides_about_a_just_listed_friend_next_month_and_avoid_cuts_the_tie():
    model = TrustCascade(rng=2, n_citizens=300, agents=False, initial_listed_share=0.05,
                         association_weight=2000.0, avoidance_probability=1.0)
    world = model.world
    friends = world.ties.friends
    deferred = []
    for _ in range(12):  # every friend of the seat is watched: their avoid draws are deferred
        forced = Forced(watched=np.arange(world.citizens.n))
        step_with(model, forced)
        deferred += forced.deferred
        if deferred:
            break
    person, friend, model_cuts = deferred[0]
    assert model_cuts  # avoidance_probability = 1: the model would have cut
    assert world.ties.cut_total == 0  # but deferred to the person
    forced = Forced(watched=np.array([person]), cuts={(person, friend)})
    step_with(model, forced)
    row = slice(friends.indptr[person], friends.indptr[person] + world.friend_degree[person])
    assert friend not in world.ties.friends.indices[row]
    events = world.citizen_dossiers.of(friend)
    assert any(e["kind"] == "tie_cut" and e["citizen"] == person for e in events)
    assert world.ties.cut_total >= 1


@pytest.fixture
def room(tmp_path):
    return Classroom(tmp_path / "class.sqlite", citizens=300, seed=11)


def test_the_journal_replays_the_class_exactly(room, tmp_path):
    tokens = [room.join(f"student {i}") for i in range(4)]
    room.teacher("policy", {"name": "association_weight", "value": "1500"})
    for month in range(4):
        for i, token in enumerate(tokens):
            room.choose(token, "loan", "default" if (i + month) % 2 else "repay")
            for item in student_state(room, room.seat(token))["choices"][4:]:
                room.choose(token, item["key"], "keep")
        room.advance()
    room.teacher("kick", room.seats[tokens[0]].citizen)
    room.choose(tokens[1], "red_light", "cross")  # pending when the server dies
    again = Classroom(tmp_path / "class.sqlite")
    assert (again.month, again.key, sorted(again.seats)) == (room.month, room.key, sorted(room.seats))
    assert again.pending == room.pending and again.friend_decisions == room.friend_decisions
    assert export.decisions_csv(again) == export.decisions_csv(room)
    np.testing.assert_array_equal(again.run.model.world.citizens.score, room.run.model.world.citizens.score)
    assert again.run.model.params["association_weight"] == 1500.0


def test_choices_are_in_the_export_with_the_models_draw(room):
    token = room.join("Ann")
    room.choose(token, "red_light", "cross")
    room.advance()
    table = export.decisions_table(room)
    assert list(table.columns) == ["student", "citizen", "month", "choice", "model_default", "listed", "score"]
    mine = table[table.choice == "red_light:cross"]
    assert len(mine) == 1 and mine.iloc[0].month == 1 and mine.iloc[0].model_default.startswith("red_light:")
    assert set(table[table.choice == ""].model_default.str.split(":").str[0]) == {"loan", "criticise", "parents"}


def test_the_parquet_export_joins_the_societys_month(room, tmp_path):
    token = room.join("Ann")
    room.choose(token, "loan", "default")
    room.advance()
    room.advance()
    path = tmp_path / "class.parquet"
    path.write_bytes(export.decisions_parquet(room))
    table = pd.read_parquet(path)
    assert list(table.columns[:7]) == list(export.COLUMNS)
    assert (table.month == table.society_step).all() and "society_listed_share" in table


@pytest.mark.parametrize("call, message", [
    (lambda r, t: r.join(""), "Your name: give 1 to 40 printable characters"),
    (lambda r, t: r.join("x" * 41), "Your name: give 1 to 40"),
    (lambda r, t: r.choose(t, "loan", "steal"), "choice: loan takes one of repay, default"),
    (lambda r, t: r.choose(t, "friend_3", "cut"), "choice: no decision 'friend_3' for you this month"),
    (lambda r, t: r.choose("nobody", "loan", "repay"), "seat: unknown or removed seat"),
    (lambda r, t: r.teacher("policy", {"name": "n_citizens", "value": "5"}), "policy: name must be one of"),
    (lambda r, t: r.teacher("policy", {"name": "surveillance_coverage", "value": "2"}), "surveillance_coverage"),
    (lambda r, t: r.teacher("auto", -1), "auto: seconds between months must be a number in [0, 600]"),
    (lambda r, t: r.teacher("view", "secret"), "view: one of network, charts, debrief"),
    (lambda r, t: r.teacher("reboot"), "action: unknown teacher action"),
])
def test_bad_input_is_refused_in_one_line_and_changes_nothing(room, call, message):
    token = room.join("Ann")
    before = len(room.journal.events())
    with pytest.raises(Refused) as refused:
        call(room, token)
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert len(room.journal.events()) == before


def test_rate_limit_and_seat_cap(room):
    token = room.join("Ann")
    for _ in range(RATE_ACTIONS):
        room.choose(token, "loan", "repay")
    with pytest.raises(Refused, match="rate: at most"):
        room.choose(token, "loan", "repay")
    for i in range(MAX_SEATS - 1):
        room.join(f"s{i}")
    with pytest.raises(Refused, match="seats: the class is full"):
        room.join("one too many")


def test_the_timer_advances_only_when_on_and_not_paused(room):
    room.teacher("auto", 0.01)
    room.last_advance -= 1
    assert room.tick() and room.month == 1
    room.teacher("pause", True)
    room.last_advance -= 1
    assert not room.tick() and room.month == 1


def test_debrief_explains_listings_and_compares_with_the_model(tmp_path):
    room = Classroom(tmp_path / "c.sqlite", citizens=500, seed=3)
    tokens = [room.join(f"s{i}") for i in range(6)]
    for _ in range(10):
        for token in tokens:
            room.choose(token, "loan", "default")
        room.advance()
    report = debrief.debrief(room)
    assert report["counts"]["students"] == 6 and report["counts"]["month"] == 10
    listed = [s for s in report["students"] if s["origin"]]
    assert listed, "with ten defaults each, some students are listed"
    for student in listed:  # the chain ends at someone listed by a record of their own (or a false one)
        assert student["origin"][0]["citizen"] == student["citizen"]
    assert any(s["origin"][-1]["cause"] in ("own", "false_record") for s in listed)
    comparison = report["comparison"]
    assert len(comparison["series_model"]) == len(comparison["series_class"]) == 10
    plain = TrustCascade(rng=3, preset="classroom", n_citizens=500, agents=False).run(10)
    assert comparison["series_model"] == plain["listed_share"].round(4).tolist()


def test_views_show_the_seat_and_the_console(room):
    token = room.join("Ann")
    state = student_state(room, room.seen(token))
    assert state["citizen"] == room.seats[token].citizen and [c["key"] for c in state["choices"]][:4] == [
        "loan", "red_light", "criticise", "parents"]
    console = teacher_state(room)
    assert console["seats"][0]["name"] == "Ann" and console["seats"][0]["connected"]
    assert Event.TIE_CUT  # the debrief reads tie cuts from the dossiers


def test_a_chosen_violation_counts_even_where_the_model_would_never_violate_but_not_in_a_domain_switched_off():
    model = TrustCascade(rng=4, n_citizens=300, agents=False, base_rate_traffic=0.0, weight_political=0.0)
    person = int(model.world.adults[3])
    political = Domain.POLITICAL
    step_with(model, Forced(watched=np.array([person]),
                            violations={(person, TRAFFIC): True, (person, political): True}))
    cells = set(model.world.citizens.violation_cells.tolist())
    assert person * len(Domain) + TRAFFIC in cells and person * len(Domain) + political not in cells


def test_a_seat_whose_page_stopped_asking_shows_as_not_connected(room):
    import time

    from trustcascade.classroom.service import CONNECTED_WITHIN

    token = room.join("Ann")
    room.seen(token)
    room.choose(token, "loan", "repay")
    assert (teacher_state(room)["seats"][0]["connected"], teacher_state(room)["seats"][0]["chosen"]) == (True, True)
    room.seats[token].seen = time.monotonic() - CONNECTED_WITHIN - 0.1
    room.advance()
    assert (teacher_state(room)["seats"][0]["connected"], teacher_state(room)["seats"][0]["chosen"]) == (False, False)
