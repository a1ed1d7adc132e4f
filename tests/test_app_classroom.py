"""The classroom features without a browser: links, dossiers, score history, compare mode, CSV."""

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from trustcascade.model.params import SCHEMA
from trustcascade.model.state import Cause
from trustcascade.visualization.dossier import CAUSE_TEXT, ScoreHistory, dossier_of, score_svg
from trustcascade.visualization.info import SECTIONS
from trustcascade.visualization.live import LiveRun
from trustcascade.visualization.scenario import RESERVED, Policies, Scenario, from_query
from trustcascade.visualization.session import Session


@pytest.fixture(scope="module")
def listed_run():
    """30 people listed for good at the start: by month 50 listings have spread to kin and
    friends (15 by association with seed 1; 24 and 32 with seeds 2 and 3)."""
    run = LiveRun("restrictions-everywhere", {"initial_listed": 30, "listing_duration": 0}, seed=1)
    for _ in range(50):
        run.step()
    return run


def test_a_link_round_trips_and_every_value_goes_through_the_schema():
    scenario = Scenario("domain-local", {"avoidance_probability": 0.5, "network": "erdos_renyi"}, 7,
                        Policies("company_penalty", 0.0, 400.0))
    restored, problems = from_query(scenario.query())
    assert problems == [] and restored == scenario
    assert restored.overrides_for("B") == {**scenario.overrides, "company_penalty": 400.0}
    assert not set(RESERVED) & {p.name for p in SCHEMA}  # link keys never shadow a parameter


@pytest.mark.parametrize("query, message", [
    ("preset=nope", "unknown preset 'nope' in the link"),
    ("seed=-3", "seed must be a whole number >= 0; got '-3'"),
    ("surveillance_coverage=1.5", "'surveillance_coverage' must be a number in the range [0, 1]"),
    ("colour=red", "unknown parameter 'colour' in the link"),
    ("graph_file=/etc/passwd", "unknown parameter 'graph_file' in the link"),
    ("network=file", "reads files on the server"),
    ("n_citizens=300000", "the page draws at most 200,000 citizens"),
    ("listing_threshold=1500", "listing_threshold must be <= initial_score"),
    ("compare=sanction_scope&a=joint&b=nowhere", "sanction_scope"),
])
def test_a_bad_link_entry_is_left_out_with_one_line_naming_it(query, message):
    scenario, problems = from_query(query + "&mean_degree=4")
    assert len(problems) == 1 and message in problems[0] and "\n" not in problems[0]
    assert scenario.overrides.get("mean_degree") == 4.0  # the good entries still apply


def test_score_history_ring_keeps_the_last_steps_and_pinned_citizens_keep_everything():
    history = ScoreHistory(n=10, budget=4 * 10 * 3)  # room for 3 steps of 10 citizens
    assert history.capacity == 3
    for step in range(5):
        history.record(step, np.arange(10, dtype=np.float32) + 100 * step)
    steps, scores = history.of(4)
    assert steps.tolist() == [2, 3, 4] and scores.tolist() == [204, 304, 404]
    history.pin(4)
    for step in range(5, 9):
        history.record(step, np.arange(10, dtype=np.float32) + 100 * step)
    steps, scores = history.of(4)
    assert steps.tolist() == list(range(2, 9)) and scores[-1] == 804
    assert history.of(5)[0].tolist() == [6, 7, 8]


def test_the_dossier_names_the_cause_and_links_the_people_in_the_chain(listed_run):
    c = listed_run.model.world.citizens
    through_others = np.flatnonzero(c.listed & (c.cause == Cause.ASSOCIATION))
    assert through_others.size, "seed 1 lists people by association by month 50"
    who = int(through_others[0])
    dossier = dossier_of(listed_run, who)
    assert dossier.cause == CAUSE_TEXT[Cause.ASSOCIATION]
    named = {line.citizen for line in dossier.chain if line.citizen is not None}
    assert named and all(c.listed[named_one] or c.times_listed[named_one] for named_one in named)
    # the chain names exactly the contacts the listing rule wrote into the dossier at that step
    events = listed_run.model.world.citizen_dossiers.of(who)
    listed_at = [e["step"] for e in events if e["kind"] == "listed"][-1]
    assert named >= {e["citizen"] for e in events if e["kind"] == "via_contact" and e["step"] == listed_at}
    # score over time: from step 0 (the ring holds 1,000 steps at 1,000 citizens) to now
    assert dossier.steps[0] == 0 and dossier.steps[-1] == 50 and dossier.scores[-1] == pytest.approx(c.score[who])
    assert "<polyline" in score_svg(dossier.steps, dossier.scores, dossier.threshold)
    assert dossier_of(listed_run, listed_run.n) is None


def test_compare_mode_builds_two_paired_societies_that_step_together():
    session = Session()
    scenario = Scenario(overrides={"n_citizens": 800}, seed=5, compare=Policies("sanction_scope", "joint", "local"))
    assert session.rebuild(scenario) is None
    a, b = session.runs
    assert a.model.params["sanction_scope"] == "joint" and b.model.params["sanction_scope"] == "local"
    assert np.array_equal(a.positions, b.positions)  # same seed: the same society
    runs = session.runs
    for _ in range(3):
        assert session.advance(runs)
    assert a.step_number == b.step_number == 3
    table = pd.read_csv(io.StringIO(session.csv()))
    assert table.groupby("society")["step"].apply(list).to_dict() == {"A": [1, 2, 3], "B": [1, 2, 3]}
    assert set(table["sanction_scope"]) == {"joint", "local"} and set(table["seed"]) == {5}
    assert session.rebuild(Scenario(overrides={"n_citizens": 800}, seed=5)) is None
    assert len(session.runs) == 1 and session.runs is not runs and not session.advance(runs)


def test_two_sessions_hold_separate_societies():
    first, second = Session(), Session()
    assert first.rebuild(Scenario(overrides={"n_citizens": 500})) is None
    assert second.rebuild(Scenario(overrides={"n_citizens": 500})) is None
    first.advance(first.runs)
    first.runs[0].change("sanction_scope", "local")
    assert second.runs[0].step_number == 0 and second.runs[0].model.schedule_of_changes == {}
    assert first.runs[0].model is not second.runs[0].model


def test_a_refused_society_keeps_the_old_one():
    session = Session()
    assert session.rebuild(Scenario(overrides={"n_citizens": 300})) is None
    shown = session.runs
    problem = session.rebuild(Scenario(overrides={"n_citizens": 300, "network": "barabasi_albert",
                                                  "mean_degree": 400.0}))
    assert problem and "\n" not in problem and session.runs is shown


def test_info_panel_has_netlogos_sections_and_cites_the_related_models():
    titles = [title for title, _ in SECTIONS]
    assert titles == ["What is it?", "How it works", "How to use it", "Things to notice", "Things to try",
                      "Extending the model", "Related models"]
    related = " ".join(dict(SECTIONS)["Related models"])
    for source in ("Watts (2002)", "Granovetter (1978)", "Epstein (2002)", "Lum, Swarup, Eubank & Hawdon (2014)"):
        assert source in related


def test_app_help_says_lan_serving_is_an_opt_in():
    done = subprocess.run([sys.executable, "-m", "trustcascade.cli.main", "app", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "default 127.0.0.1" in done.stdout and "0.0.0.0 opts in" in done.stdout
