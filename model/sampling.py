"""Sampling helpers the rules share: sparse Bernoulli draws, and kept probabilities
moved for one step.

Most of a society does nothing in a given month, so draws are made to cost the few
who act, not the many who do not.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

import numpy as np


def bernoulli_cells(size: int, prob: float, rng: np.random.Generator) -> np.ndarray:
    """Indexes in ``range(size)`` each chosen independently with probability ``prob``.

    Geometric skipping (Devroye 1986, *Non-Uniform Random Variate Generation*, ch. 10):
    the gaps between successes are geometric, so the cost is the number of successes,
    not ``size``; how many draws are made depends on ``size`` and ``prob`` only.

    >>> cells = bernoulli_cells(1_000_000, 0.001, np.random.default_rng(1))
    >>> 850 < cells.size < 1150, bool((np.diff(cells) > 0).all())
    (True, True)
    """
    if prob <= 0 or size == 0:
        return np.zeros(0, np.int64)
    if prob >= 1:
        return np.arange(size, dtype=np.int64)
    expected = size * prob
    chunk = int(expected + 6 * np.sqrt(expected) + 16)

    def gaps():  # a gap past ``size`` ends the draw anyway; clipping keeps sums from overflowing
        return np.minimum(rng.geometric(prob, size=chunk), size + 1)

    positions = np.cumsum(gaps()) - 1
    while positions[-1] < size:
        positions = np.concatenate([positions, positions[-1] + np.cumsum(gaps())])
    return positions[positions < size]


def uniform_floats(rng: np.random.Generator, out: np.ndarray) -> np.ndarray:
    """``rng.random(out.size, dtype=np.float32, out=out)``: the same draws, with the same
    effect on ``rng``, made from PCG64's raw outputs.

    numpy makes a float32 uniform from the top 24 bits of a 32-bit draw (``k x 2**-24``),
    and PCG64 gives two 32-bit halves per 64-bit output, low half first; taking the raw
    outputs halves the calls into the generator (``behave``'s 370,000 draws a month at
    100,000 citizens: 0.4-0.6 ms a step less, measured side by side). Another generator,
    an odd size or a half left pending by an earlier float32 draw take numpy's own path.

    >>> one, two = np.random.default_rng(3), np.random.default_rng(3)
    >>> drawn = uniform_floats(one, np.zeros(1000, np.float32))
    >>> bool(np.array_equal(drawn, two.random(1000, dtype=np.float32)))
    True
    """
    generator = rng.bit_generator
    if (type(generator) is np.random.PCG64 and out.size % 2 == 0 and sys.byteorder == "little"
            and not generator.state["has_uint32"]):
        halves = generator.random_raw(out.size // 2).view(np.uint32)
        np.right_shift(halves, 8, out=halves)
        return np.multiply(halves, np.float32(2.0 ** -24), out=out, dtype=np.float32, casting="unsafe")
    return rng.random(out.size, dtype=np.float32, out=out)


class KeptProbabilities:
    """A flat array of probabilities (or of upper bounds on them) that changes rarely, kept
    between steps, which a step may move in a few cells for itself.

    Why: ``behave`` needs a probability for every adult and domain (6 x 0.6 n cells) each
    month, but its slowly changing part changes only with the parameters, and strain, chill
    and friends move a few thousand cells of it. Keeping that part and putting the moved
    cells back (not recomputing or copying it) saved a third of the step at 100,000
    citizens; the uniform draws and the comparison write into kept buffers too, since fresh
    arrays of that size cost page faults every step. Where the rest changes every month in
    many cells (learned beliefs), the kept array holds an upper bound and only the cells
    whose uniform falls below it are computed exactly (:meth:`draw_thinned`).

    >>> kept = KeptProbabilities()
    >>> base = kept.baseline(np.full((2, 3), 0.5, np.float32), np.float32(0.5))
    >>> with kept.moved(scale=[(np.array([0]), 2.0)], add=[(np.array([1]), 0.25)]) as prob:
    ...     prob.tolist()
    [0.5, 0.5, 0.25, 0.25, 0.25, 0.25]
    >>> base.tolist()  # put back exactly
    [0.25, 0.25, 0.25, 0.25, 0.25, 0.25]
    """

    def __init__(self):
        self._source = None  # what the baseline was made from (for ``baseline``, kept alive for its id)
        self._key: tuple = ()
        self._flat = np.zeros(0, np.float32)
        self._uniforms = np.zeros(0, np.float32)
        self._under = np.zeros(0, bool)
        self._moves: tuple = ((), ())  # the open ``moved`` block's (scale, add)
        self._marked = np.zeros(0, bool)  # scratch for ``moved_values``: all False between calls

    def baseline(self, propensity: np.ndarray, factor: np.ndarray, rows: np.ndarray | None = None
                 ) -> np.ndarray:
        """``propensity[rows] x factor`` (factor per column), flattened; recomputed only
        when ``propensity`` is another array or ``factor`` changed (treat propensity as
        read-only; ``rows`` must not change either)."""
        factor = np.asarray(factor)
        key = ("per column", id(propensity), tuple(np.ravel(factor)))
        if self._key != key:
            chosen = propensity if rows is None else propensity[rows]
            self.replace((chosen * factor.astype(np.float32)).ravel(), key, propensity)
        return self._flat

    def holds(self, key: tuple) -> bool:
        """Whether the kept baseline was made under ``key`` (see :meth:`replace`)."""
        return self._key == key

    def replace(self, flat: np.ndarray, key: tuple, source=None) -> None:
        """Keep ``flat`` (float32) as the baseline, made under ``key``: whatever it was
        computed from. ``flat`` is moved in place inside :meth:`moved` blocks, so a
        ``source`` read there must be another array."""
        self._flat, self._key, self._source = flat, key, source

    @property
    def source(self):
        """What the kept baseline was made from (given to :meth:`replace` or :meth:`baseline`)."""
        return self._source

    @contextmanager
    def moved(self, scale=(), add=()):
        """The baseline with ``scale = [(cells, factors)]`` multiplied in and then
        ``add = [(cells, amounts)]`` added (a cell may repeat) for the ``with`` block only;
        the moved cells get their kept values back afterwards, exactly."""
        prob = self._flat
        touched = np.concatenate([cells for cells, _ in scale] + [cells for cells, _ in add])
        kept = prob[touched]
        self._moves = (scale, add)
        try:
            for cells, factors in scale:
                prob[cells] *= factors
            for cells, amounts in add:
                np.add.at(prob, cells, amounts)
            yield prob
        finally:
            prob[touched] = kept
            self._moves = ((), ())

    def moved_values(self, cells: np.ndarray, values: np.ndarray) -> np.ndarray:
        """``values`` of the ``cells`` (sorted, distinct; float32), moved in place as the open
        :meth:`moved` block moves the baseline: the same operations in the same order, so the
        same roundings as if ``values`` had been the baseline's."""
        scale, add = self._moves
        if self._marked.size != self._flat.size:
            self._marked = np.zeros(self._flat.size, bool)
        marked = self._marked  # a byte per cell stays in the cache (an index per cell did not: 0.6 ms)
        marked[cells] = True
        try:
            for moves, operation in ((scale, np.multiply), (add, np.add)):
                for moved_cells, amounts in moves:
                    inside = np.flatnonzero(marked[moved_cells])
                    at = np.searchsorted(cells, moved_cells[inside])
                    amounts = np.broadcast_to(amounts, moved_cells.shape)[inside]
                    if operation is np.multiply:  # like ``prob[cells] *= factors``: a repeat, the last wins
                        values[at] *= amounts
                    else:
                        np.add.at(values, at, amounts)
        finally:
            marked[cells] = False
        return values

    @property
    def uniforms(self) -> np.ndarray:
        """The uniforms of the latest :meth:`draw`, one per cell."""
        return self._uniforms

    def _below(self, prob: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One uniform per cell (kept in ``uniforms``); the cells whose uniform is below ``prob``."""
        if self._uniforms.size != prob.size:
            self._uniforms, self._under = np.zeros(prob.size, np.float32), np.zeros(prob.size, bool)
        uniforms = uniform_floats(rng, self._uniforms)  # kept: ``uniforms``
        return np.flatnonzero(np.less(uniforms, prob, out=self._under))

    def draw(self, prob: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """One uniform per cell: the cells whose uniform falls below ``prob``, and for each
        ``uniform / prob`` (itself uniform in [0, 1) given the hit, so it can decide a
        second, nested event without another draw)."""
        hits = self._below(prob, rng)
        return hits, self._uniforms[hits] / prob[hits]

    def draw_thinned(self, upper: np.ndarray, rng: np.random.Generator, exact
                     ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`draw` against probabilities known only as ``upper`` bounds and, for the
        few cells whose uniform falls below its bound, as ``exact(cells)``: the same
        uniforms, hits and ``uniform / prob`` as drawing against the exact probabilities
        everywhere (thinning; Lewis & Shedler 1979, Naval Res. Logist. Q. 26:403), at the
        cost of the candidates instead of every cell.

        >>> kept = KeptProbabilities()
        >>> exact = np.array([0.1, 0.0, 0.3], np.float32)
        >>> hits, _ = kept.draw_thinned(np.full(3, 0.5, np.float32), np.random.default_rng(0),
        ...                             lambda cells: exact[cells])
        >>> bool(np.array_equal(hits, np.flatnonzero(kept.uniforms < exact)))
        True
        """
        candidates = self._below(upper, rng)
        uniforms = self._uniforms[candidates]
        prob = exact(candidates)
        hit = np.flatnonzero(uniforms < prob)
        return candidates[hit], uniforms[hit] / prob[hit]
