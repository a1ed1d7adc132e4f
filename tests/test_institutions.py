"""The national design: court list, agency and red lists, memoranda, denied access, payment, due process."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from trustcascade.cli.main import main
from trustcascade.model.institutions import ListKind, Service, load_memoranda
from trustcascade.model.model import TrustCascade
from trustcascade.model.schema import ParameterError

ALWAYS = {f"try_rate_{s.label}": 1.0 for s in Service}  # everyone tries everything, every month
QUIET = {"rule_behave": False, "rule_judge": False, "rule_avoid": False, "rule_pay": False}


def blacklists(scope="joint", seed=1, **params):
    return TrustCascade(rng=seed, agents=False, n_citizens=600, n_companies=12,
                        institutional_design="blacklists", sanction_scope=scope, **{**QUIET, **params})


def put_on_court_list(model, people):
    lists = model.world.citizens.lists
    lists.debt_due[people] = model.world.step + 1  # due next month: ``list`` puts them on it
    lists.debt[people] = 10_000.0


def test_the_as_practised_run_of_the_issue_writes_denials_payments_and_ages(tmp_path):
    out, agents = tmp_path / "a.parquet", tmp_path / "p.parquet"
    assert main(["run", "--preset", "as-practised", "--steps", "66", "--seed", "1", "--quiet",
                 "--out", str(out), "--agents-out", str(agents)]) == 0
    table, people = pd.read_parquet(out), pd.read_parquet(agents)
    for column in ("denied_flights", "denied_trains", "denied_loans", "denied_school_places", "denied_tenders",
                   "paid_after_listing"):
        assert table[column].sum() > 0, column
    citizens = people[people.type == "citizen"]
    children = citizens[citizens.age_group == "child"]
    assert len(children) > 1000
    assert (children.employer == -1).all() and (children.times_listed == 0).all()
    assert set(citizens.age_group) == {"child", "adult"}


@pytest.mark.parametrize("scope, denied", [("local", {Service.FLIGHT, Service.TRAIN, Service.HOTEL}),
                                           ("joint", {Service.FLIGHT, Service.TRAIN, Service.HOTEL,
                                                      Service.LOAN, Service.PUBLIC_JOB})])
def test_the_court_list_denies_its_own_measures_locally_and_every_memorandum_jointly(scope, denied):
    model = blacklists(scope, **ALWAYS)
    debtors = model.world.adults[:10]
    put_on_court_list(model, debtors)
    row = model.run(1).iloc[-1]
    assert model.world.citizens.lists.on[debtors, ListKind.COURT].all()
    columns = {Service.FLIGHT: "denied_flights", Service.TRAIN: "denied_trains", Service.HOTEL: "denied_hotels",
               Service.LOAN: "denied_loans", Service.PUBLIC_JOB: "denied_public_jobs"}
    for service, column in columns.items():
        assert row[column] == (10 if service in denied else 0), column


def test_a_listed_parents_child_is_refused_a_school_place_and_stays_unlisted():
    model = blacklists(**ALWAYS)
    ties = model.world.ties
    parents = np.unique(ties.parent[ties.parent >= 0])[:5]
    children = np.flatnonzero(np.isin(ties.parent, parents))
    put_on_court_list(model, parents)
    row = model.run(1).iloc[-1]
    assert row["denied_school_places"] == children.size
    assert not model.world.citizens.listed[children].any()
    refused = model.world.citizen_dossiers.of(int(children[0]))
    assert any(e["kind"] == "denied" and e["service"] == "school" and e["list"] == "court" for e in refused)


def test_a_firm_on_the_court_list_restricts_its_representative_in_person():
    model = blacklists(**ALWAYS)
    companies = model.world.companies
    companies.lists.debt_due[0] = 1
    row = model.run(1).iloc[-1]
    representative = model.world.ties.representative[0]
    assert companies.lists.on[0, ListKind.COURT] and not model.world.citizens.listed[representative]
    events = model.world.citizen_dossiers.of(int(representative))
    assert {e["service"] for e in events if e["kind"] == "denied"} >= {"flight", "train", "hotel"}
    assert row["denied_tenders"] >= 1  # the firm itself, under the 2016 memorandum


def test_debtors_pay_more_when_the_listing_costs_them_more():
    """Payment hazard 1 - (1 - r) exp(-pressure x cost): with every service tried and denied each
    month (joint) against no restrictions. 400 childless debtors over two months: the number who
    paid is a sum of binomials; tolerance 4 standard errors (sd <= sqrt(400 x 0.25) = 10)."""
    paid = {}
    for label, params in (("costly", {**ALWAYS}), ("free", {"rule_sanction": False})):
        model = TrustCascade(rng=3, agents=False, n_citizens=2000, n_companies=0, institutional_design="blacklists",
                             **{**QUIET, "rule_pay": True, "payment_rate": 0.05, "payment_pressure": 0.1,
                                **params})
        parents = np.unique(model.world.ties.parent[model.world.ties.parent >= 0])
        debtors = np.setdiff1d(model.world.adults, parents)[:400]  # no child's school place adds to the cost
        put_on_court_list(model, debtors)
        model.run(2)  # listed in month 1; they pay in months 1 and 2, after that month's denials
        paid[label] = int(model.table()["paid_after_listing"].sum())
    # costly: 5 denials (flight, train, hotel, loan, public job) and 0.3 of income lost (loans denied)
    for label, chance in (("free", 0.05), ("costly", 1 - 0.95 * np.exp(-0.1 * (5 + 0.3)))):
        expected = 400 * (chance + (1 - chance) * chance)  # two months of paying
        assert abs(paid[label] - expected) < 4 * np.sqrt(400 * 0.25), (label, paid[label], expected)
    assert paid["costly"] > paid["free"]


def test_a_memoranda_file_replaces_the_table_and_a_bad_one_is_one_line(tmp_path):
    table = tmp_path / "memoranda.csv"
    table.write_text("list,service,scope,memorandum,year\ncourt,hotel,own,Only hotels,2020\n")
    model = blacklists(memoranda_file=str(table), **ALWAYS)
    put_on_court_list(model, model.world.adults[:4])
    row = model.run(1).iloc[-1]
    assert row["denied_hotels"] == 4 and row["denied_flights"] == 0
    table.write_text("list,service,scope,memorandum,year\ncourt,yacht,own,Boats,2020\n")
    with pytest.raises(ParameterError) as refused:
        load_memoranda(table)
    assert "\n" not in str(refused.value) and "service must be one of flight" in str(refused.value)


def test_upheld_objections_remove_false_records_and_the_listings_they_caused():
    """Scored city, false records only: everyone objects, every objection is upheld, so false
    listings end a month after they began; without objections they last their term."""
    base = dict(rng=2, agents=False, n_citizens=3000, record_error_rate=0.02, rule_behave=False,
                rule_associate=False, weight_traffic=300.0)
    kept = TrustCascade(**base).run(30)
    objected = TrustCascade(**base, objection_rate_false=1.0, objection_upheld_false=1.0).run(30)
    assert kept["new_listings_false_record"].sum() > 20
    assert objected["objections_upheld"].sum() > 100 and kept["objections_upheld"].sum() == 0
    assert objected["listed_share"].iloc[-1] < 0.5 * kept["listed_share"].iloc[-1]


def test_joint_sanctions_refuse_more_children_school_places_than_local_ones():
    """Paired design, the scored city: the same 20 seeds under both scopes. Under local scope a
    listing restricts school fees only for family-domain offences; under joint scope, always."""
    differences = []
    for seed in range(20):
        runs = [TrustCascade(rng=seed, agents=False, n_citizens=2000, n_companies=40, sanction_scope=scope,
                             try_rate_school=0.2).run(80)["denied_school_places"].sum()
                for scope in ("joint", "local")]
        differences.append(runs[0] - runs[1])
    differences = np.array(differences, float)
    half = stats.t.ppf(0.975, differences.size - 1) * differences.std(ddof=1) / np.sqrt(differences.size)
    assert differences.mean() - half > 0, (differences.mean(), half)


def test_agencies_looking_only_at_this_months_records_find_what_a_full_scan_finds():
    """``list_findings`` checks only citizens with a record this month or a listing that just
    ended; forcing a full scan every month must give the same run."""
    def run(full_scan: bool):
        model = TrustCascade(rng=4, preset="as-practised", agents=False, n_citizens=4000, n_companies=80,
                             agency_records=1.5)
        for _ in range(40):
            if full_scan:
                model.world.agency_limits = None
            model.step()
        return model.table()

    scanned, incremental = run(True), run(False)
    assert scanned["agency_listed_share"].max() > 0.01  # the agencies list people in this run
    pd.testing.assert_frame_equal(scanned, incremental)
