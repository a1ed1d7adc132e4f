"""The two browser widgets of the page: the network view and the live charts (anywidget).

anywidget serves its front end from the environment, so nothing is fetched from a CDN.
Binary traitlets travel over the websocket as binary frames, not base64 text: at 10,000
citizens the graph is about 0.5 MB once, then about 11 KB per step.
"""

from __future__ import annotations

import threading
from pathlib import Path

import anywidget
import traitlets

from . import palette
from .live import COMPARED, SERIES, LiveRun

HERE = Path(__file__).parent
PLOT = (HERE / "plot.js").read_text()
"""Plot helpers shared by the chart widgets' front ends."""


class NetworkView(anywidget.AnyWidget):
    """Citizens coloured by grade and listing, friend and family ties, cut ties flashing.

    ``show`` sends a frame; ``wait_drawn`` blocks until the browser has drawn it (its
    ``ack``), which paces Play so renders never pile up. ``selected`` is the citizen the
    user clicked (-1: none).
    """

    _esm = (HERE / "network.js").read_text()
    positions = traitlets.Bytes(b"").tag(sync=True)
    friends = traitlets.Bytes(b"").tag(sync=True)
    family = traitlets.Bytes(b"").tag(sync=True)
    graph_id = traitlets.Int(0).tag(sync=True)
    frame = traitlets.Bytes(b"").tag(sync=True)
    ack = traitlets.Int(-1).tag(sync=True)
    selected = traitlets.Int(-1).tag(sync=True)
    resolution = traitlets.Int(720).tag(sync=True)
    colours = traitlets.List(palette.NODE_COLOURS).tag(sync=True)
    tie_colours = traitlets.Dict({"friends": palette.FRIEND_TIE, "family": palette.FAMILY_TIE,
                                  "cut": palette.CUT_TIE}).tag(sync=True)
    legend = traitlets.List([list(entry) for entry in palette.LEGEND]).tag(sync=True)
    view_name = traitlets.Unicode("main").tag(sync=True)
    caption = traitlets.Unicode("").tag(sync=True)
    file_stem = traitlets.Unicode("trustcascade").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._sent = 0
        self._drawn = threading.Condition()
        self._run: LiveRun | None = None
        self.observe(self._on_ack, "ack")

    def _on_ack(self, change) -> None:
        with self._drawn:
            self._drawn.notify_all()

    def show(self, run: LiveRun) -> int:
        """Send ``run``'s current frame (and its graph first, if it is a new society)."""
        with self._drawn:
            self._sent += 1
            frame_id = self._sent
        new_graph = run is not self._run
        graph_id = self.graph_id + 1 if new_graph else self.graph_id
        frame = run.frame(frame_id, graph_id, deltas=not new_graph)
        with self.hold_sync():
            if new_graph:
                graph = run.graph()
                self.positions, self.friends, self.family = graph["positions"], graph["friends"], graph["family"]
                self.graph_id = graph_id
                self.selected = -1
                self._run = run
            self.frame = frame
        return frame_id

    def wait_drawn(self, timeout: float) -> bool:
        """Wait until the browser has drawn the last frame sent; False on timeout."""
        with self._drawn:
            return self._drawn.wait_for(lambda: self.ack >= self._sent, timeout=timeout)


class Charts(anywidget.AnyWidget):
    """Listed and collateral share over time, new listings by primary cause, score histogram."""

    _esm = PLOT + (HERE / "charts.js").read_text()
    series = traitlets.Bytes(b"").tag(sync=True)
    histogram = traitlets.Bytes(b"").tag(sync=True)
    names = traitlets.List([name.replace("new_listings_", "").replace("_", " ") for name in SERIES]
                           ).tag(sync=True)
    colours = traitlets.List([palette.SERIES_COLOURS[name] for name in SERIES]).tag(sync=True)
    grade_colours = traitlets.List(list(palette.GRADE_COLOURS)).tag(sync=True)

    def show(self, run: LiveRun) -> None:
        """Send the series and histogram of ``run`` as they are now."""
        series, histogram = run.series(), run.histogram()
        with self.hold_sync():
            self.series, self.histogram = series, histogram


class CompareCharts(anywidget.AnyWidget):
    """The key metrics of two societies on shared axes, one panel per metric (A solid, B dashed)."""

    _esm = PLOT + (HERE / "compare.js").read_text()
    series_a = traitlets.Bytes(b"").tag(sync=True)
    series_b = traitlets.Bytes(b"").tag(sync=True)
    titles = traitlets.List([title for _, title in COMPARED]).tag(sync=True)
    labels = traitlets.List(["A", "B"]).tag(sync=True)
    colours = traitlets.List(list(palette.COMPARE_COLOURS)).tag(sync=True)

    def show(self, a: LiveRun, b: LiveRun, labels: tuple[str, str]) -> None:
        """Send both societies' series (same steps: they step together)."""
        columns = [name for name, _ in COMPARED]
        series_a, series_b = a.series(columns), b.series(columns)
        with self.hold_sync():
            self.labels = list(labels)
            self.series_a, self.series_b = series_a, series_b
