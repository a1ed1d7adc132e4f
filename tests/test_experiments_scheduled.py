"""Scheduled factors ("STEP:NAME" in [factors]): an intervention varied across design points."""

from __future__ import annotations

import pandas as pd
import pytest
from experiment_helpers import TINY, in_process, write_experiment

from trustcascade.cli.main import main
from trustcascade.experiments import load, read_experiment
from trustcascade.experiments.runner import plan
from trustcascade.experiments.runner import sweep as run_sweep
from trustcascade.model.model import TrustCascade

# the file's own schedule changes forgiveness at step 8 (not an amnesty, which would lift the decree
# and leave the check at step 10 to the luck of a cascade among the five companies)
SHOCK = TINY.replace('association_weight = { min = 100.0, max = 300.0, points = 2 }',
                     '"6:shock_companies" = [0, 1]').replace('"new_listings"]', '"company_listed_share"]').replace(
                     '"8" = { listing_duration = 1 }', '"8" = { forgiveness_rate = 0.1 }')


def test_a_scheduled_factor_changes_the_parameter_at_its_step_only(tmp_path):
    experiment = read_experiment(write_experiment(tmp_path, text=SHOCK))
    tasks = {(t.point_id, t.replicate): t for t in plan(experiment)}
    shocked = next(t for t in tasks.values() if t.scheduled == {"6:shock_companies": 1})
    assert shocked.schedule == {6: {"shock_companies": 1}, 8: {"forgiveness_rate": 0.1}}
    assert "shock_companies" not in shocked.params  # it starts at its default (0)
    with in_process() as executor:
        run_sweep(experiment, tmp_path / "out", executor, progress=False)
    frame = load(tmp_path / "out")
    assert frame["6:shock_companies"].isin([0, 1]).all()
    # the same seed with and without the shock: identical before step 6; the shocked run matches a
    # model built by hand with the same schedule
    run = frame[frame.run_id == shocked.run_id].reset_index(drop=True)
    model = TrustCascade(rng=shocked.seed, params=shocked.params, schedule=shocked.schedule, agents=False)
    by_hand = model.run(12)
    by_hand = by_hand[by_hand.step.isin([5, 10, 12])].reset_index(drop=True)
    pd.testing.assert_frame_equal(run[list(experiment.metrics)], by_hand[list(experiment.metrics)],
                                  check_dtype=False)
    pair = frame[(frame.replicate == shocked.replicate) & (frame.sanction_scope == shocked.params["sanction_scope"])]
    before = pair[pair.step == 5]
    assert before.listed_share.nunique() == 1 and before.seed.nunique() == 1
    after = pair[pair.step == 10].set_index("6:shock_companies")
    assert after.company_listed_share[1] >= 1 / 5  # the decree: 1 of 5 companies, not lifted by repair


@pytest.mark.parametrize("factor, field", [
    ('"13:shock_companies" = [0, 1]', "STEP from 1 to experiment.steps = 12"),
    ('"6:n_citizens" = [300, 400]', "shapes the society"),
    ('"6:no_such_parameter" = [0, 1]', "no_such_parameter"),
    ('"8:listing_duration" = [1, 2]', "also set in [schedule] at step 8"),
    ('"6:shock_companies" = [0, -1]', "factors.6:shock_companies"),
])
def test_bad_scheduled_factors_exit_2_with_one_line(tmp_path, capsys, factor, field):
    text = TINY.replace('association_weight = { min = 100.0, max = 300.0, points = 2 }', factor)
    path = write_experiment(tmp_path, text=text)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and field in error
    assert not (tmp_path / "out").exists()
