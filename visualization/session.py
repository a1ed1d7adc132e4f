"""What one browser tab holds: its society (or two, in compare mode), views and selection.

Each tab gets its own :class:`Session` (Solara renders the page once per connection), so a
class of 30 students on one server do not see each other's changes. In compare mode both
societies are built from the same seed (``model/streams.py``: one random stream per rule),
so they are a paired comparison and step together; the difference shown is the policy's.
"""

from __future__ import annotations

import threading

from .canvas import Charts, CompareCharts, NetworkView
from .budget import check_budget
from .live import LiveRun, effective_params
from .scenario import Scenario


class Session:
    """One tab's societies, their network views and charts, the selected citizen, one lock."""

    def __init__(self):
        self.views = (NetworkView(view_name="a"), NetworkView(view_name="b"))
        self.charts = Charts()
        self.compare_charts = CompareCharts()
        self.busy = threading.Lock()
        self.runs: list[LiveRun] = []
        self.scenario = Scenario()
        self.focus: tuple[int, int] | None = None
        """(society 0 or 1, citizen) whose dossier is open."""
        self.on_focus = lambda: None
        for which, view in enumerate(self.views):
            view.observe(lambda change, which=which: self._clicked(which, change["new"]), "selected")

    @property
    def run(self) -> LiveRun | None:
        return self.runs[0] if self.runs else None

    @property
    def comparing(self) -> bool:
        return len(self.runs) == 2

    def rebuild(self, scenario: Scenario) -> str | None:
        """Build the scenario's societies and show them; on a refusal keep the old ones and
        return the one-line message."""
        names = ("A", "B") if scenario.compare is not None else ("",)
        try:
            check_budget(*(effective_params(scenario.preset, scenario.overrides_for(which)) for which in names))
            runs = [LiveRun(scenario.preset, scenario.overrides_for(which), scenario.seed) for which in names]
        except (ValueError, OSError) as refusal:  # ParameterError is a ValueError
            return str(refusal).splitlines()[0] if str(refusal) else type(refusal).__name__
        with self.busy:
            self.runs, self.scenario, self.focus = runs, scenario, None
            for which, (view, run) in enumerate(zip(self.views, runs)):
                view.caption = scenario.compare.label("AB"[which]) if scenario.compare else ""
                view.file_stem = self.file_stem() + (f"-{'ab'[which]}" if scenario.compare else "")
                view.show(run)
        self.show_charts()
        return None

    def advance(self, runs: list[LiveRun]) -> bool:
        """Step every society once and send the frames; False when ``runs`` are no longer shown."""
        with self.busy:
            if runs is not self.runs:
                return False
            for run in runs:
                run.step()
            for view, run in zip(self.views, runs):
                view.show(run)
        return True

    def wait_drawn(self, timeout: float) -> bool:
        """Wait until the browser has drawn the last frame of every shown society."""
        return all([view.wait_drawn(timeout) for view in self.views[:len(self.runs)]])

    def show_charts(self) -> None:
        runs = self.runs
        if len(runs) == 2:
            self.compare_charts.show(runs[0], runs[1], (self.scenario.compare.label("A"),
                                                        self.scenario.compare.label("B")))
        elif runs:
            self.charts.show(runs[0])

    def select(self, which: int, citizen: int) -> None:
        """Open ``citizen``'s dossier in society ``which`` and ring them in its view."""
        if not 0 <= which < len(self.runs):
            return
        if self.views[which].selected == citizen:
            self._clicked(which, citizen)
        else:
            self.views[which].selected = citizen  # the observer does the rest

    def focus_society(self) -> int:
        return self.focus[0] if self.focus is not None else 0

    def _clicked(self, which: int, citizen: int) -> None:
        runs = self.runs
        if which >= len(runs):
            return
        if citizen >= 0:
            with runs[which].lock:
                runs[which].history.pin(citizen)
            self.focus = (which, citizen)
        elif self.focus is not None and self.focus[0] == which:
            self.focus = None
        self.on_focus()

    def file_stem(self) -> str:
        scenario = self.scenario
        stem = f"trustcascade-{scenario.preset}-seed{scenario.seed}"
        return stem + (f"-compare-{scenario.compare.name}" if scenario.compare else "")

    def csv(self) -> str:
        """The per-step data of every shown society as one CSV (compare mode: a row per society
        and step, with the compared parameter's value)."""
        runs, scenario = list(self.runs), self.scenario
        if scenario.compare is None or len(runs) < 2:
            return runs[0].csv(preset=scenario.preset, seed=scenario.seed) if runs else ""
        name = scenario.compare.name
        parts = [run.csv(society=which, preset=scenario.preset, seed=scenario.seed, **{name: value})
                 for run, which, value in zip(runs, "AB", (scenario.compare.a, scenario.compare.b))]
        return parts[0] + parts[1].split("\n", 1)[1]
