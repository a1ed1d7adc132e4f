"""One browser session's society: the model, and what the page draws of it.

The page stays thin: this module builds the model through its public API, steps it, and
encodes what the browser draws -- node states as one byte per citizen, cut and new
friendships as deltas, the metric series and the score histogram as float32 arrays. No
model logic lives here.
"""

from __future__ import annotations

import threading

import numpy as np
import scipy.sparse as sp

from trustcascade.model.interventions import check_changeable
from trustcascade.model.params import SCHEMA
from trustcascade.model.presets import get as get_preset
from trustcascade.model.schema import ParameterError
from trustcascade.model.scoring import clean_score
from trustcascade.model.state import CAUSES, Cause

from .budget import check_budget
from .dossier import ScoreHistory
from .layout import positions_for
from .palette import LISTED, THROUGH_OTHERS

SERIES = ("listed_share", "collateral_share") + tuple(f"new_listings_{c.label}" for c in CAUSES)
"""Metric columns sent to the charts, in this order."""
COMPARED = (("listed_share", "Listed share"), ("collateral_share", "Collateral share (listed, never violated)"),
            ("new_listings", "New listings per month"), ("violation_rate", "Violation rate"))
"""Metric columns of compare mode, each drawn for both societies on one pair of axes."""
HISTOGRAM_BINS = 40
MAX_POINTS = 1500
"""Longest series sent to the charts; longer runs are thinned evenly (the last step kept)."""


def effective_params(preset: str | None, overrides: dict) -> dict:
    """Every parameter as the model will see it: defaults, then the preset, then ``overrides``.

    Raises :class:`ParameterError` (one line) when a value or a combination is refused, or
    the society would exceed a session's memory budget.
    """
    base = get_preset(preset).params if preset else None
    params = SCHEMA.resolve(overrides, base=base)
    check_budget(params)  # one tab must not hold gigabytes (budget.py)
    return params


def live_changeable(name: str) -> bool:
    """Whether a parameter can change while the society runs (else it needs a new society)."""
    return not SCHEMA[name].structural


def tie_keys(layer: sp.csr_matrix) -> np.ndarray:
    """Sorted keys ``lo * n + hi`` of the live (non-zero) undirected ties of a symmetric layer."""
    return upper_keys(layer, np.flatnonzero(layer.data != 0))


def upper_keys(layer: sp.csr_matrix, positions: np.ndarray) -> np.ndarray:
    """Keys ``lo * n + hi`` of the stored entries at ``positions`` (one per undirected tie)."""
    positions = np.asarray(positions, np.int64)
    rows = np.searchsorted(layer.indptr, positions, side="right") - 1
    cols = layer.indices[positions].astype(np.int64)
    upper = rows < cols
    keys = rows[upper] * layer.shape[0] + cols[upper]
    return keys if layer.has_sorted_indices else np.sort(keys)


def pairs_of(keys: np.ndarray, n: int) -> np.ndarray:
    """Tie keys as interleaved uint32 (lo, hi) pairs."""
    lo, hi = np.divmod(keys, max(n, 1))
    return np.stack([lo, hi], axis=1).astype(np.uint32).ravel()


class LiveRun:
    """A society being watched: step it, and read frames, series and the histogram.

    Parameters
    ----------
    preset : str or None
    overrides : dict
        Parameter values on top of the preset.
    seed : int
    """

    def __init__(self, preset: str | None, overrides: dict, seed: int):
        from trustcascade.model.model import TrustCascade  # imports mesa: keep off the start path

        self.preset, self.seed = preset, int(seed)
        self.model = TrustCascade(rng=self.seed, preset=preset, params=dict(overrides), agents=False)
        ties = self.model.world.ties
        self.n = self.model.world.citizens.n
        self.positions = positions_for(ties.friends, ties.family)
        self.cut = np.zeros(0, np.int64)
        self.new = np.zeros(0, np.int64)
        self.lock = threading.Lock()
        self.history = ScoreHistory(self.n)
        self.history.record(self.step_number, self.model.world.citizens.score)

    @property
    def ties_cut_total(self) -> int:
        """Friendships cut since the start (the model's count)."""
        return self.model.world.ties.cut_total

    @property
    def step_number(self) -> int:
        return self.model.world.step

    def step(self) -> None:
        """Advance one month and note which friendships were cut or formed.

        The rules log both (``avoid`` and ``befriend``), so nothing is compared here.
        """
        with self.lock:
            self.model.step()
            self.history.record(self.step_number, self.model.world.citizens.score)
            this_step = self.model.world.step_log
            self.cut, self.new = this_step.cut_tie_keys, this_step.formed_tie_keys

    def change(self, name: str, value) -> None:
        """Apply a checked live-changeable parameter from the next step on (the model's schedule)."""
        check_changeable(name)
        SCHEMA.resolve({**self.model.params, name: value})
        with self.lock:
            upcoming = self.model.world.step + 1
            self.model.schedule_of_changes.setdefault(upcoming, {})[name] = value

    def node_states(self) -> np.ndarray:
        """One byte per citizen: grade (0..3 = A..D) | LISTED | THROUGH_OTHERS (palette.py)."""
        c = self.model.world.citizens
        state = self.model.grade_of(c.score).astype(np.uint8)
        state |= c.listed.astype(np.uint8) * LISTED
        state |= (c.listed & (c.cause != Cause.OWN)).astype(np.uint8) * THROUGH_OTHERS
        return state

    def frame(self, frame_id: int, graph_id: int, deltas: bool = True) -> bytes:
        """The per-step message: header, node states, cut pairs, new pairs (network.js reads it).

        ``deltas=False`` for the first frame of a society: its graph already has this step's ties.
        """
        with self.lock:
            state = self.node_states()
            none = np.zeros(0, np.int64)
            cut, new = pairs_of(self.cut if deltas else none, self.n), pairs_of(self.new if deltas else none, self.n)
            step = self.step_number
        padded = np.zeros(-(-self.n // 4) * 4, np.uint8)
        padded[:self.n] = state
        header = np.array([frame_id, graph_id, step, self.n, cut.size // 2, new.size // 2], np.uint32)
        return b"".join((header.tobytes(), padded.tobytes(), cut.tobytes(), new.tobytes()))

    def graph(self) -> dict:
        """What is sent once per society: positions and both tie layers as uint32 pairs."""
        return {"positions": np.ascontiguousarray(self.positions, np.float32).tobytes(),
                "friends": pairs_of(tie_keys(self.model.world.ties.friends), self.n).tobytes(),
                "family": pairs_of(tie_keys(self.model.world.ties.family), self.n).tobytes()}

    def series(self, columns=SERIES) -> bytes:
        """Metric ``columns`` as float32: [rows, columns, steps..., column 1..., column 2...]."""
        with self.lock:
            rows = list(self.model.collector.rows)
        if len(rows) > MAX_POINTS:
            keep = np.unique(np.linspace(0, len(rows) - 1, MAX_POINTS).round().astype(int))
            rows = [rows[i] for i in keep]
        names = ("step",) + tuple(columns)
        values = np.array([[row[name] for name in names] for row in rows], np.float32).reshape(-1, len(names))
        header = np.array([values.shape[0], len(columns)], np.float32)
        return header.tobytes() + np.ascontiguousarray(values.T).tobytes()

    def histogram(self) -> bytes:
        """Score histogram by grade, float32: [low, high, threshold, clean, grades, bins, counts[g][b]...]."""
        with self.lock:
            score = self.model.world.citizens.score.copy()
            grade = self.model.grade_of(score)
            params = self.model.params
        threshold, clean = params["listing_threshold"], clean_score(params)  # 650 under the credit rule
        low = min(float(score.min()), threshold) - 1.0
        high = max(float(score.max()), clean) + 1.0
        bins = np.minimum(((score - low) / (high - low) * HISTOGRAM_BINS).astype(np.int64), HISTOGRAM_BINS - 1)
        counts = np.bincount(grade.astype(np.int64) * HISTOGRAM_BINS + bins, minlength=4 * HISTOGRAM_BINS)
        head = np.array([low, high, threshold, clean, 4, HISTOGRAM_BINS], np.float32)
        return head.tobytes() + counts.astype(np.float32).tobytes()

    def summary(self) -> dict:
        """The latest metrics row (empty before the first step)."""
        rows = self.model.collector.rows
        return dict(rows[-1]) if rows else {}

    def csv(self, **labels) -> str:
        """The per-step table (``model.table()``) as CSV, each ``labels`` item as a leading column."""
        with self.lock:
            table = self.model.table()
        for position, (name, value) in enumerate(labels.items()):
            table.insert(position, name, value)
        return table.to_csv(index=False)

    def citizen(self, index: int) -> str:
        """One line about a citizen for the status bar."""
        if not 0 <= index < self.n:
            return ""
        c = self.model.world.citizens
        grade = "ABCD"[int(self.model.grade_of(c.score[index:index + 1])[0])]
        text = f"citizen {index}: score {c.score[index]:.0f}, grade {grade}"
        if c.listed[index]:
            text += f", listed (cause: {Cause(int(c.cause[index])).label})"
        friends = self.model.world.ties.friends
        start, end = friends.indptr[index], friends.indptr[index + 1]
        return text + f", {int((friends.data[start:end] != 0).sum())} friends"
