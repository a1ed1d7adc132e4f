"""Named scenarios: a description and the parameters that differ from the defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from .params import RULES
from .schema import ParameterError
from .scoring import LEDGER_MAX


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    params: dict = field(default_factory=dict)
    schedule: dict = field(default_factory=dict)  # step -> {name: value}


def _only(*rules: str) -> dict:
    """Switch every rule off except ``rules``."""
    return {f"rule_{name}": name in rules for name in RULES}


# The national system as practised, one step = one month from October 2013 (step 1), when the
# court's online list of dishonest judgment debtors opened. Rates set by hand to the public
# figures in docs/calibration.md (benchmarks/as_practised_fit.py prints the fit).
AS_PRACTISED = {
    "institutional_design": "blacklists", "sanction_scope": "local", "rule_associate": False,
    "judgment_rate": 0.00033, "company_judgment_rate": 0.002, "agency_records": 4.0,
    "payment_rate": 0.005, "payment_pressure": 0.05,
    "try_rate_flight": 0.036, "try_rate_train": 0.013,
}
AS_PRACTISED_SCHEDULE = {
    28: {"sanction_scope": "joint"},  # January 2016: the memorandum of 44 agencies on joint discipline
    52: {"judgment_rate": 0.0017},  # 2018: the last year of the campaign to "basically solve" enforcement
    61: {"judgment_rate": 0.0005},  # from October 2018
    82: {"objection_rate_false": 0.3, "objection_rate_true": 0.02},  # July 2020: online objections
}

PRESETS = {p.name: p for p in (
    Preset("restrictions-everywhere", "the default: joint sanctions, guilt by association, "
           "supervision of the listed; about 1% of citizens listed in steady state"),
    Preset("classroom", "a class's society (trustcascade classroom): 3% listed at the start and "
           "stronger guilt by association (under a quarter of one's contacts listed is enough to be listed), "
           "so listings spread within the months of a lesson",
           {"initial_listed_share": 0.03, "association_weight": 800.0}),
    Preset("domain-local", "restrictions only in the domain where trust was broken; no spill-over",
           {"sanction_scope": "local"}),
    Preset("as-practised", "the national system 2013-2020: court list of judgment debtors, agency and "
           "red lists, joint-sanction memoranda from 2016; one step = one month from October 2013",
           {**AS_PRACTISED, "n_citizens": 20_000, "n_companies": 400}, AS_PRACTISED_SCHEDULE),
    Preset("no-association", "no guilt by association: contacts' listings cost nothing",
           {"rule_associate": False}),
    Preset("no-supervision-feedback", "the listed are watched like everyone else",
           {"supervision_multiplier": 1.0, "inspection_rate": 0.0}),
    Preset("company-shock", "the largest company is listed by decree at step 60 (compare with the "
           "same seed without the shock: the difference is the cascade)",
           {"n_citizens": 5000, "n_companies": 100, "business_degree": 4.0}, {60: {"shock_companies": 1}}),
    Preset("watts2002", "Watts (2002) threshold cascade: association only, permanent listing, "
           "Erdos-Renyi ties, phi = 0.18, one listed seed",
           {**_only("associate", "list"), "network": "erdos_renyi", "mean_degree": 3.0,
            "n_citizens": 10_000, "n_companies": 0, "association_layers": "friends",
            "association_weight": 1000.0, "listing_threshold": 820.0, "listing_duration": 0,
            "initial_listed": 1, "household_size": 1.0}),
    Preset("lum2014", "Lum et al. (2014) contagion of imprisonment: listings pass tie by tie with the "
           "published monthly probabilities; listing_duration is the sentence (tips between 14 and 17)",
           {**_only("delist", "list", "transmit"), "n_companies": 0, "n_citizens": 5000, "mean_degree": 8.0,
            "transmission_friends": 0.0190, "transmission_family": 0.0026,
            "background_listing_rate": 1.675e-5, "initial_listed_share": 0.01, "listing_duration": 14,
            "listing_threshold": 0.0, "repair_margin": LEDGER_MAX}),
    Preset("granovetter", "Granovetter (1978) riot model on a complete graph; set integer "
           "thresholds with `trustcascade validate granovetter`",
           {**_only("associate", "list"), "network": "erdos_renyi", "n_citizens": 100,
            "mean_degree": 99.0, "n_companies": 0, "association_layers": "friends",
            "association_weight": 99.0, "listing_threshold": 1000.0, "listing_duration": 0,
            "household_size": 1.0}),
)}


def get(name: str) -> Preset:
    """The preset called ``name``, or a one-line error listing the choices."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ParameterError("--preset", f"unknown preset '{name}'; choose one of "
                             + ", ".join(PRESETS)) from None
