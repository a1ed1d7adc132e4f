"""The Info panel, in the tradition of NetLogo's Info tab: written for a curious student.

Sections as in every model of NetLogo's Models Library (Wilensky 1999): what is it, how it
works, how to use it, things to notice, things to try, extending the model, related models.
Plain text (no Markdown renderer: the page loads nothing from a CDN).
"""

from __future__ import annotations

from trustcascade.model.domains import Domain
from trustcascade.model.params import SCHEMA


def _default(name: str) -> str:
    """A parameter's default as a student reads it (1000, 24)."""
    return f"{SCHEMA[name].default:g}"


def _duration() -> str:
    months = SCHEMA["listing_duration"].default
    return "for good" if months == 0 else f"for {months} months" + (
        f" ({months // 12} years)" if months % 12 == 0 and months >= 24 else "")


SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("What is it?", (
        "A society where one authority keeps a record of everyone, turns it into a trust score, puts "
        "the lowest scorers on a list, and restricts what listed people may do. The rule it models was "
        "written down in China's social credit documents: \"if trust is broken in one place, restrictions "
        "are imposed everywhere.\"",
        "People are tied to friends, family, parents and employers. The question the model asks: how do "
        "sanctions spread through those ties? Who ends up listed without ever breaking a rule?",
    )),
    ("How it works", (
        f"One step is one month. Each month every citizen may break a rule in {len(Domain)} domains "
        f"({', '.join(d.label for d in Domain)}). The authority sees only some violations "
        "(surveillance coverage) and sometimes records one that never happened (a false record).",
        f"Every record costs points: a score starts at {_default('initial_score')}. Friends and family who "
        "are listed cost points "
        "too (guilt by association), and so does a listed company you represent or work for as a manager. "
        f"Whoever falls to the listing threshold ({_default('listing_threshold')} by default) is listed, "
        f"{_duration()} by default. Children are never listed.",
        "Listed people are refused things: flights, high-speed trains, hotels, loans, public jobs, a place "
        "at a fee-paying school for their children, public tenders for their firm. With joint sanctions "
        "every restriction applies; with local ones only those of the domain where they broke trust. They "
        "are watched more closely, so more of their violations are seen. Friends may cut ties with them, "
        "and people make new friends with others of similar standing.",
        "Whether a rule is worth breaking depends on what people believe: how likely a violation is to be "
        "recorded, and what a listing costs. They learn both from what happens to them, to their friends "
        "and family, and from the yearly published figures. So joint sanctions deter more only if people "
        "see them refuse more.",
        "Every listing has one primary cause: their own record, a false record, their company, listed "
        "family (kin) or listed friends (association). The dossier keeps the full chain.",
        "Two designs of the same idea. The scored city (presets such as restrictions-everywhere) is the newspaper version and the pilot "
        "cities': one score for everyone, grades A to D, one list of the lowest scores.",
        "The national system as practised from 2013 (preset as-practised, one month a step from October "
        "2013) has no single score. Courts list debtors who were ordered to pay, could pay and did not; "
        "agencies list people and firms on their own findings (tax, market regulation, transport); red "
        "lists name the trustworthy. Memoranda signed by dozens of agencies decide what each list "
        "denies. Debtors leave the court list when they pay, and the model counts how many pay because "
        "the restrictions hurt. Compare the two with Compare two policies, parameter "
        "institutional_design.",
    )),
    ("How to use it", (
        "Pick a preset scenario, then press Play (or Step for one month at a time). The seed fixes the "
        "society and its luck: the same seed gives the same run.",
        "Click a person in the network, or type their number under Find a citizen, to open their dossier: "
        "score over time, grade, every recorded event, and the chain of causes that listed them. Names "
        "in the dossier are links to those people.",
        "Switch on Compare two policies to run two copies of the same society (same seed, same luck) "
        "that differ in one parameter only: joint against local sanctions by default. Their key numbers "
        "are drawn on the same axes, so the difference you see is the policy's.",
        "Scenario link gives an address that opens this exact scenario; Download CSV saves the numbers "
        "of every month; Download PNG saves the picture of the network.",
    )),
    ("Things to notice", (
        "Colours: sky blue, green, orange and vermillion are grades A to D; black is listed on their own "
        "record; reddish purple is listed through others. Watch where the reddish purple appears: next "
        "to black nodes, in families and among friends.",
        "The chart 'New listings by primary cause': how much of it is not people's own record?",
        "Collateral share: the share of listed people who never broke a rule at all.",
        "A listed person is watched more closely, so more of their violations are recorded: listings can "
        "keep themselves going.",
    )),
    ("Things to try", (
        "Predict, then test: will domain-local sanctions list fewer people than joint ones? Use Compare.",
        "Set avoidance_probability to 1: friends always cut ties with the listed. What happens to the "
        "network, and to the cascade?",
        "Raise record_error_rate. How many people are listed because of records that were wrong?",
        "With the watts2002 preset, change mean_degree between 1 and 7. When does one listed person set "
        "off a cascade through the whole society? (There is a window: too few ties and it cannot spread, "
        "too many and each tie matters too little.)",
        "company-shock lists the largest company at month 60. Compare shock_companies 0 against 1.",
    )),
    ("Extending the model", (
        "Each rule of the step is a short function in model/rules/ with its own switch (the Rules group). "
        "docs/researchers.md shows how to swap the scoring rule or add a rule: for example appeals that "
        "remove false records, or rewards for reporting others (Axelrod's metanorms).",
        "Sweeps run thousands of such societies from one experiment file (trustcascade sweep).",
    )),
    ("Related models", (
        "Watts (2002), A simple model of global cascades on random networks, PNAS 99:5766. With only guilt "
        "by association on and permanent listing, this model is Watts' threshold cascade (preset watts2002).",
        "Granovetter (1978), Threshold models of collective behavior, American Journal of Sociology 83:1420: "
        "the riot model, where one person's threshold changes everything (preset granovetter).",
        "Epstein (2002), Modeling civil violence: an agent-based computational approach, PNAS 99:7243: "
        "citizens, cops and legitimacy (Mesa ships a version as an example).",
        "Lum, Swarup, Eubank & Hawdon (2014), The contagious nature of imprisonment: an agent-based model "
        "to explain racial disparities in incarceration rates, J. R. Soc. Interface 11:20140409: "
        "punishment that spreads through family and friendship ties.",
    )),
)
