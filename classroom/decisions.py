"""The choices of the month: decisions the model otherwise draws for a citizen.

Four are violations in one domain (the model's ``behave`` draw for that person and domain);
one per friend listed last month is whether to keep the friendship (the model's ``avoid``
draw). Each decision has two options; ``violates`` names the option that is the violation.
"""

from __future__ import annotations

from dataclasses import dataclass

from trustcascade.model.domains import Domain


@dataclass(frozen=True)
class Decision:
    key: str
    domain: int
    question: str
    options: tuple[tuple[str, str], tuple[str, str]]  # (option, label): the first complies, the second violates

    def violates(self, option: str) -> bool:
        return option == self.options[1][0]

    def option_for(self, violated: bool) -> str:
        return self.options[1 if violated else 0][0]


DOMAIN_DECISIONS = (
    Decision("loan", Domain.FINANCIAL, "Your loan instalment is due. Default and keep the money?",
             (("repay", "Repay the loan"), ("default", "Default for a gain"))),
    Decision("red_light", Domain.TRAFFIC, "The light is red and the street is empty.",
             (("wait", "Wait for green"), ("cross", "Cross on red"))),
    Decision("criticise", Domain.POLITICAL, "The government announced a policy you think is wrong.",
             (("stay_quiet", "Stay quiet"), ("criticise", "Criticise the government online"))),
    Decision("parents", Domain.FAMILY, "Your elderly parents are expecting a visit.",
             (("visit", "Visit your elderly parents"), ("stay_away", "Stay away"))),
)
BY_KEY = {decision.key: decision for decision in DOMAIN_DECISIONS}
TIE_OPTIONS = (("keep", "Keep the friendship"), ("cut", "Cut ties"))
FRIEND_PREFIX = "friend_"
OBJECTION_NOTE = ("Filing an objection is not available in class yet: the model's objection procedure "
                  "(rule object) runs at its own rates, not on a seat's choice.")


def friend_key(friend: int) -> str:
    return f"{FRIEND_PREFIX}{friend}"


def check_choice(key: str, option: str, friends_listed: dict[int, bool]) -> str | None:
    """None if ``option`` answers decision ``key`` for this seat this month, else a one-line refusal."""
    if key in BY_KEY:
        allowed = [name for name, _ in BY_KEY[key].options]
    elif key.startswith(FRIEND_PREFIX) and key[len(FRIEND_PREFIX):].isdigit() \
            and int(key[len(FRIEND_PREFIX):]) in friends_listed:
        allowed = [name for name, _ in TIE_OPTIONS]
    else:
        return f"choice: no decision {key[:40]!r} for you this month"
    if option not in allowed:
        return f"choice: {key} takes one of {', '.join(allowed)}; got {option[:40]!r}"
    return None


def label(key: str, option: str) -> str:
    """``loan:repay``, ``friend_12:cut``: how a choice reads in the export."""
    return f"{key}:{option}" if option else ""
