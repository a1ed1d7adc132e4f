"""Colours of the page: the Okabe-Ito palette, readable with every common colour-vision deficiency.

Okabe, M. & Ito, K. (2008), "Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people", https://jfly.uni-koeln.de/color/.
Node state codes (one byte per citizen) index :data:`NODE_COLOURS`.
"""

from __future__ import annotations

BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN = "#000000", "#E69F00", "#56B4E9", "#009E73"
BLUE, VERMILLION, REDDISH_PURPLE = "#0072B2", "#D55E00", "#CC79A7"

LISTED = 4
"""Bit set in a node state when the citizen is listed."""
THROUGH_OTHERS = 8
"""Bit set when the listing's primary cause is not the citizen's own record."""

GRADE_COLOURS = (SKY_BLUE, BLUISH_GREEN, ORANGE, VERMILLION)
"""Grades A, B, C, D (listable) of citizens who are not listed."""
LISTED_OWN, LISTED_THROUGH_OTHERS = BLACK, REDDISH_PURPLE


def node_colours() -> list[str]:
    """Colour of each node state code 0..15."""
    colours = []
    for code in range(16):
        if not code & LISTED:
            colours.append(GRADE_COLOURS[code & 3])
        else:
            colours.append(LISTED_THROUGH_OTHERS if code & THROUGH_OTHERS else LISTED_OWN)
    return colours


NODE_COLOURS = node_colours()
FRIEND_TIE, FAMILY_TIE, CUT_TIE = "#777777", BLUE, VERMILLION

LEGEND = (
    (GRADE_COLOURS[0], "grade A"), (GRADE_COLOURS[1], "grade B"), (GRADE_COLOURS[2], "grade C"),
    (GRADE_COLOURS[3], "grade D (listable)"), (LISTED_OWN, "listed: own record"),
    (LISTED_THROUGH_OTHERS, "listed: through others"), (FRIEND_TIE, "friends"),
    (FAMILY_TIE, "family"), (CUT_TIE, "tie just cut"),
)

SERIES_COLOURS = {
    "listed_share": BLACK, "collateral_share": REDDISH_PURPLE,
    "new_listings_own": BLACK, "new_listings_association": REDDISH_PURPLE,
    "new_listings_company": ORANGE, "new_listings_kin": BLUISH_GREEN,
    "new_listings_false_record": VERMILLION,
}

COMPARE_COLOURS = (BLUE, VERMILLION)
"""Society A and society B in compare mode."""
