"""Every parameter of the society, declared once.

CLI options, validation messages, ``trustcascade params`` and the docs come
from :data:`SCHEMA`. One step is one month.
"""

from __future__ import annotations

from .domains import Domain
from .rules import SWITCHABLE
from .schema import Constraint, Param, Schema
from .scoring import LEDGER_MAX


NETWORKS = ("watts_strogatz", "barabasi_albert", "erdos_renyi", "stochastic_block", "file")
ASSOCIATION_LAYERS = ("friends+family", "friends", "family")

# Points deducted per record, loosely after municipal schemes (a traffic ticket
# costs 5 of 1000 points); a court judgment weighs most.
_WEIGHTS = {"financial": 50.0, "traffic": 5.0, "political": 30.0,
            "family": 20.0, "commercial": 40.0, "legal": 100.0}
# Mean monthly probability that a citizen violates in each domain.
_BASE_RATES = {"financial": 0.01, "traffic": 0.03, "political": 0.005,
               "family": 0.005, "commercial": 0.005, "legal": 0.002}
# Share of violations the authority can see in each domain, relative to coverage.
_VISIBILITY = {"financial": 1.0, "traffic": 0.8, "political": 0.6,
               "family": 0.4, "commercial": 0.8, "legal": 1.0}

RULES = SWITCHABLE
"""The step's switchable rules in order (``rules.PIPELINE``); each has a switch ``rule_<name>``."""


def _society() -> list[Param]:
    g = "Society"
    return [
        Param("n_citizens", int, 1000, "number of citizens", g, min=2, max=5_000_000, unit="people", structural=True),
        Param("n_companies", int, 20, "number of companies", g, min=0, max=5_000_000, unit="companies", structural=True),
        Param("employment_rate", float, 0.6, "share of adults employed by a company (children never work)", g, min=0.0, max=1.0, structural=True),
        Param("manager_share", float, 0.02, "share of employees who manage their company (restricted "
              "with it when it is listed)", g, min=0.0, max=1.0, structural=True),
        Param("household_size", float, 3.0, "mean household size (family ties)", g, min=1.0, max=20.0,
              unit="people", structural=True),
        Param("initial_listed", int, 0, "citizens listed at the start, chosen at random", g, min=0,
              max=5_000_000, unit="people", structural=True),
        Param("initial_listed_share", float, 0.0, "share of citizens listed at the start (added to "
              "initial_listed)", g, min=0.0, max=1.0, structural=True),
    ]


def _network() -> list[Param]:
    g = "Network"
    return [
        Param("network", str, "watts_strogatz", "generator of the friendship layer", g, choices=NETWORKS, structural=True),
        Param("mean_degree", float, 10.0, "mean number of friends", g, min=0.0, max=10_000.0, unit="ties", structural=True),
        Param("rewire_probability", float, 0.1, "Watts-Strogatz rewiring probability", g, min=0.0, max=1.0, structural=True),
        Param("n_communities", int, 10, "communities of the stochastic block network", g, min=1,
              max=1_000_000, structural=True),
        Param("community_mixing", float, 0.1, "share of stochastic-block ties between communities", g,
              min=0.0, max=1.0, structural=True),
        Param("graph_file", str, "", "GraphML or edge-list file of friendships (network=file)", g, structural=True),
        Param("business_degree", float, 2.0, "mean number of business partners per company", g,
              min=0.0, max=1000.0, unit="ties", structural=True),
        Param("association_layers", str, "friends+family", "tie layers whose listed share lowers a score",
              g, choices=ASSOCIATION_LAYERS),
        Param("network_metrics_every", int, 10, "steps between network metrics (when ties changed)", g,
              min=1, max=100_000, unit="steps"),
    ]


def _authority() -> list[Param]:
    g = "Authority"
    params = [
        Param("surveillance_coverage", float, 0.6, "probability a violation is recorded (times domain "
              "visibility)", g, min=0.0, max=1.0),
        Param("record_error_rate", float, 0.0005, "monthly probability of a false record per citizen and "
              "observed domain", g, min=0.0, max=1.0),
        Param("scoring_rule", str, "points", "how records become a score", g, choices=("points", "credit")),
        Param("initial_score", float, 1000.0, "points everyone starts with", g, min=0.0, max=LEDGER_MAX,
              unit="points"),
        Param("association_weight", float, 500.0, "points lost when all of one's contacts are listed", g,
              min=0.0, max=100_000.0, unit="points"),
        Param("listing_rule", str, "threshold", "list by score threshold or bottom percentile", g,
              choices=("threshold", "percentile")),
        Param("listing_threshold", float, 820.0, "score at or below which one is listed", g, min=0.0,
              max=LEDGER_MAX, unit="points"),
        Param("listing_percentile", float, 1.0, "percent of citizens listed under the percentile rule "
              "(5 = the bottom 5 percent)", g, min=0.0, max=100.0, unit="percent"),
        Param("listing_duration", int, 24, "how long a listing lasts (0 = permanent)", g, min=0,
              max=100_000, unit="steps"),
        Param("repair_margin", float, 60.0, "points above the threshold that earn early removal", g,
              min=0.0, max=LEDGER_MAX, unit="points"),
        Param("supervision_multiplier", float, 2.0, "extra recording of the listed's violations", g,
              min=1.0, max=100.0, unit="x"),
        Param("inspection_rate", float, 0.05, "monthly probability a listed person is inspected (every "
              "violation recorded)", g, min=0.0, max=1.0),
        Param("shock_companies", int, 0, "largest companies listed by decree (schedule it with --at)", g,
              min=0, max=5_000_000, unit="companies"),
        Param("sanction_scope", str, "joint", "restrictions in every domain (joint) or the offending "
              "one (local)", g, choices=("joint", "local")),
        Param("sanction_income_loss", float, 0.3, "share of income lost to credit denial and business "
              "exclusion", g, min=0.0, max=1.0),
        Param("company_penalty", float, 300.0, "points a listed company costs its legal representative", g,
              min=0.0, max=LEDGER_MAX, unit="points"),
        Param("reward_points", float, 10.0, "points for a good deed", g, min=0.0, max=LEDGER_MAX, unit="points"),
        Param("forgiveness_rate", float, 0.05, "share of deducted points forgiven each month", g, min=0.0,
              max=1.0),
    ]
    for domain in (d.label for d in Domain):
        params.append(Param(f"weight_{domain}", float, _WEIGHTS[domain], f"points deducted per {domain} "
                            "record (0 turns the domain off)", g, min=0.0, max=LEDGER_MAX, unit="points"))
        params.append(Param(f"visibility_{domain}", float, _VISIBILITY[domain], f"share of {domain} "
                            "violations within the authority's reach", g, min=0.0, max=1.0))
    return params


def _institutions() -> list[Param]:
    """The national design (``institutional_design=blacklists``): courts, agencies, red lists,
    access to services, due process. Sources are in docs/institutions.md."""
    g = "Institutions"
    params = [
        Param("institutional_design", str, "scored_city", "scored_city: one score and one list by "
              "threshold (pilot cities); blacklists: court list of judgment debtors, agency lists, red "
              "lists and joint-sanction memoranda (the national system 2013-2020)", g,
              choices=("scored_city", "blacklists"), structural=True),
        Param("memoranda_file", str, "", "CSV of joint-sanction memoranda (list, service, scope, "
              "memorandum, year); empty: the table shipped with the package", g, structural=True),
        Param("judgment_rate", float, 0.0004, "monthly probability an adult is ordered by a court to pay "
              "a debt (blacklists)", g, min=0.0, max=1.0, unit="1/month"),
        Param("company_judgment_rate", float, 0.003, "monthly probability a company is ordered by a "
              "court to pay a debt (blacklists)", g, min=0.0, max=1.0, unit="1/month"),
        Param("debt_median", float, 30_000.0, "median debt a judgment orders paid (log-normal)", g,
              min=1.0, max=1e9, unit="yuan"),
        Param("debt_spread", float, 1.2, "log-normal sigma of judgment debts", g, min=0.0, max=5.0),
        Param("voluntary_payment", float, 0.3, "share of judgment debtors who pay by the deadline "
              "(under 30% in 2008-2012, Supreme People's Court)", g, min=0.0, max=1.0),
        Param("ability_to_pay", float, 0.7, "share of debtors who did not pay whom the court finds able "
              "to pay (and so lists)", g, min=0.0, max=1.0),
        Param("payment_deadline", int, 3, "months from judgment to listing if unpaid", g, min=0,
              max=1200, unit="months"),
        Param("court_list_extension", int, 0, "months a court listing is extended once if the debt is "
              "still unpaid at its end (SPC 2017: 1-3 years for aggravating cases)", g, min=0,
              max=1200, unit="months"),
        Param("payment_rate", float, 0.02, "monthly probability a listed debtor pays when the listing "
              "costs them nothing", g, min=0.0, max=1.0, unit="1/month"),
        Param("payment_pressure", float, 0.5, "rise in the hazard of paying per denial suffered this "
              "month (a share of income lost counts as that many denials)", g, min=0.0, max=100.0,
              unit="1/denial"),
        Param("agency_records", float, 2.0, "records in an agency's domain (recent, fading with "
              "forgiveness) that put a person or firm on its list", g, min=0.01, max=1000.0,
              unit="records"),
        Param("agency_list_term", int, 12, "months an agency listing lasts (flight bans: 1 year)", g,
              min=1, max=1200, unit="months"),
        Param("red_list_months", int, 36, "months without a record that put a person or firm on the "
              "red list (0 = no red list)", g, min=0, max=1200, unit="months"),
        Param("red_list_inspection", float, 0.5, "factor on the recording of the red-listed's "
              "violations (fewer inspections)", g, min=0.0, max=1.0),
        Param("objection_rate_false", float, 0.0, "monthly probability a person objects to a false "
              "record written this month (online objections opened in July 2020)", g, min=0.0, max=1.0),
        Param("objection_rate_true", float, 0.0, "probability a person objects to a true record", g,
              min=0.0, max=1.0),
        Param("objection_months", int, 1, "months an objection waits before it is decided (a 20-day "
              "handling deadline)", g, min=0, max=1200, unit="months"),
        Param("objection_upheld_false", float, 0.8, "probability an objection to a false record is "
              "upheld", g, min=0.0, max=1.0),
        Param("objection_upheld_true", float, 0.05, "probability an objection to a true record is "
              "upheld", g, min=0.0, max=1.0),
    ]
    for service, rate in _TRY_RATES.items():
        params.append(Param(f"try_rate_{service}", float, rate, f"monthly probability one tries to use "
                            f"the service '{service}'" + _TRY_WHO.get(service, ""), g, min=0.0, max=1.0,
                            unit="1/month"))
    return params


# Monthly probability of trying each restricted service (per adult; school per child; tender per
# firm). Rough orders of magnitude for China around 2018: about 0.6 billion domestic air trips and
# 2 billion high-speed rail trips a year for 1.1 billion adults, concentrated on frequent travellers.
_TRY_RATES = {"flight": 0.03, "train": 0.08, "hotel": 0.01, "loan": 0.02, "public_job": 0.003,
              "school": 0.01, "tender": 0.1}
_TRY_WHO = {"school": " (a child, for a fee-paying private school)", "tender": " (a company)"}


def _behaviour() -> list[Param]:
    g = "Behaviour"
    params = [
        Param("propensity_concentration", float, 5.0, "Beta concentration of individual propensities "
              "(low = very unequal)", g, min=0.01, max=10_000.0, structural=True),
        Param("deterrence", float, 4.0, "how strongly the perceived expected cost of a violation cuts "
              "it: the chance the gain exceeds a cost c is exp(-deterrence x c) (gains exponential with "
              "mean 1/deterrence)", g, min=0.0, max=1000.0, unit="1/denial"),
        Param("listing_cost_prior", float, 0.5, "cost of a listed month people expect before they see "
              "one (services denied plus shares of income lost, per month; assumed)", g, min=0.0,
              max=1000.0, unit="denials/month"),
        Param("belief_strength", float, 10.0, "observations the announced beliefs are worth (violations "
              "for the recording probability, listed months for the cost; assumed)", g, min=0.01,
              max=1e6, unit="observations"),
        Param("vicarious_weight", float, 0.3, "weight of a friend's or family member's violation or "
              "listed month against one's own (Stafford & Warr 1993; vicarious experience weighs less, "
              "Apel 2013; assumed)", g, min=0.0, max=1.0),
        Param("public_weight", float, 1.0, "listed months the yearly published figures count as (the "
              "lists are public; assumed)", g, min=0.0, max=1e6, unit="months"),
        Param("strain", float, 2.0, "rise in loan default per unit of income lost to sanctions", g,
              min=0.0, max=100.0),
        Param("conformity", float, 0.2, "weight of contacts' violation rate in one's own", g, min=0.0,
              max=1.0),
        Param("chilling_effect", float, 0.2, "drop in political criticism among the listed and their "
              "contacts", g, min=0.0, max=1.0),
        Param("avoidance_probability", float, 0.1, "probability a friend cuts the tie to a newly listed "
              "person", g, min=0.0, max=1.0),
        Param("tie_formation_rate", float, 0.002, "new friendships sought per citizen per month", g,
              min=0.0, max=1.0),
        Param("homophily", float, 0.02, "how fast acceptance of a new friend falls with score distance", g,
              min=0.0, max=100.0, unit="1/points"),
        Param("reward_probability", float, 0.02, "monthly probability of a recorded good deed", g,
              min=0.0, max=1.0),
        Param("company_violation_rate", float, 0.005, "monthly probability a company violates (commercial, "
              "financial, legal)", g, min=0.0, max=1.0),
    ]
    for domain in (d.label for d in Domain):
        params.append(Param(f"base_rate_{domain}", float, _BASE_RATES[domain], f"mean monthly "
                            f"probability of a {domain} violation", g, min=0.0, max=1.0, structural=True))
    return params


def _contagion() -> list[Param]:
    """Listing passed on along ties with a fixed monthly probability (rule ``transmit``; Lum et al.
    2014). All 0 by default: the rule then does nothing and draws nothing."""
    g = "Authority"  # the authority lists; here it lists along ties
    return [
        Param("transmission_family", float, 0.0, "monthly probability that a listed citizen's listing "
              "passes to each adult family member", g, min=0.0, max=1.0),
        Param("transmission_friends", float, 0.0, "monthly probability that a listed citizen's listing "
              "passes to each friend", g, min=0.0, max=1.0),
        Param("background_listing_rate", float, 0.0, "monthly probability that any unlisted adult is "
              "listed regardless of ties", g, min=0.0, max=1.0),
    ]


def _rules() -> list[Param]:
    return [Param(f"rule_{name}", bool, True, f"switch for the '{name}' rule", "Rules") for name in RULES]


CONSTRAINTS = [
    Constraint(("n_companies", "n_citizens"),  # a graph file sets n_citizens (checked once read)
               lambda p: p["network"] == "file" or p["n_companies"] <= p["n_citizens"],
               "n_companies must be <= n_citizens"),
    Constraint(("mean_degree", "n_citizens"),
               lambda p: p["network"] == "file" or p["mean_degree"] < p["n_citizens"],
               "mean_degree must be < n_citizens"),
    Constraint(("graph_file", "network"), lambda p: p["network"] != "file" or p["graph_file"] != "",
               "network=file needs graph_file=PATH"),
    Constraint(("initial_listed", "n_citizens"), lambda p: p["initial_listed"] <= p["n_citizens"],
               "initial_listed must be <= n_citizens"),
    Constraint(("n_communities", "n_citizens"),
               lambda p: p["network"] != "stochastic_block" or p["n_communities"] <= p["n_citizens"],
               "n_communities must be <= n_citizens"),
    Constraint(("listing_threshold", "initial_score"), lambda p: p["scoring_rule"] != "points"
               or p["listing_rule"] != "threshold" or p["listing_threshold"] <= p["initial_score"],
               "listing_threshold must be <= initial_score, or everyone starts listed"),
]

REMOVED = {
    "joint_severity": "deterrence is learned now: the cost of a listing is what people see listings "
                      "cost (services denied, income lost), so joint sanctions deter only as far as "
                      "they restrict more; see deterrence, listing_cost_prior, belief_strength, "
                      "vicarious_weight, public_weight and rule_learn",
    "kin_penalty": "children are never listed; a listed parent now restricts the child's access (a "
                   "school place, counted in denied_school_places), and points lost to listed family "
                   "members are guilt by association with cause 'kin'",
}
"""Parameters that existed once, with what replaced them (the message a user who passes one gets)."""

SCHEMA = Schema(_society() + _network() + _authority() + _institutions() + _behaviour() + _contagion()
                + _rules(), CONSTRAINTS, REMOVED)
"""The one schema of the society's parameters."""
