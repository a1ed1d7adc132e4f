"""Memory budget of one app session: refuse, in one line, a society too large to hold.

Each browser tab of ``trustcascade app`` holds its own societies on the server; one link
(``?n_citizens=200000&mean_degree=300``) asked for about 3 GB. The estimate is the peak
traced while building a society and stepping it twice (tracemalloc, numpy arrays included),
fitted as ``FIXED + n x (PER_CITIZEN + PER_TIE_END x mean_degree)``: 17 MB at 20,000 x 10,
94 MB at 20,000 x 100, 147 MB at 50,000 x 60, 322 MB at 200,000 x 30 (each within 10% above).
"""

from __future__ import annotations

import os

from trustcascade.model.schema import ParameterError

FIXED = 4_000_000  # the score history ring buffer (dossier.HISTORY_BYTES)
PER_CITIZEN = 450
PER_TIE_END = 48
SESSION_BUDGET_MB = int(os.environ.get("TRUSTCASCADE_SESSION_MB", "600"))
"""Megabytes one tab's societies may take together (compare mode holds two)."""


def estimate_bytes(params: dict) -> int:
    """Peak memory of one society with these parameters (its arrays, ties, dossiers' start)."""
    n, k = params["n_citizens"], params["mean_degree"]
    return int(FIXED + n * (PER_CITIZEN + PER_TIE_END * k))


def check_budget(*societies: dict, budget_mb: int | None = None) -> None:
    """Refuse (one line naming the sizes) societies that together exceed a session's budget."""
    budget = (budget_mb or SESSION_BUDGET_MB) * 1_000_000
    need = sum(estimate_bytes(params) for params in societies)
    if need > budget:
        biggest = max(societies, key=estimate_bytes)
        what = "a society" if len(societies) == 1 else f"{len(societies)} societies"
        raise ParameterError("n_citizens", f"{what} of {biggest['n_citizens']:,} citizens with mean_degree "
                             f"{biggest['mean_degree']:g} would take about {need / 1e6:,.0f} MB; a page may use "
                             f"{budget / 1e6:,.0f} MB (fewer citizens or ties; `trustcascade run` has no such limit)")
