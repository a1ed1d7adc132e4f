"""The browser page: pick a preset, press Play, watch sanctions spread over the network.

Run it with ``trustcascade app`` (or ``solara run trustcascade.visualization.app``). The
page only renders state and sends parameters: the society is a
:class:`~trustcascade.visualization.live.LiveRun`, drawn by the anywidget views of
``canvas.py``. Play steps the model, sends one frame, and waits for the browser's draw
acknowledgement before the next step (RECIPES.md), so renders never pile up; the status
line and charts refresh at most :data:`REFRESH_HZ` times a second meanwhile.
"""

from __future__ import annotations

import threading
import time

import solara

from trustcascade.model.presets import PRESETS
from trustcascade.model.schema import ParameterError

from .canvas import Charts, NetworkView
from .controls import ParamGroups
from .live import LiveRun, effective_params, live_changeable

DEFAULT_PRESET = "restrictions-everywhere"
DEFAULT_SEED = 1
REFRESH_HZ = 3.0
"""Status and chart refreshes per second during Play."""
FASTEST = 60
"""Top of the speed slider: no added delay, as fast as the browser draws."""
MAX_DRAWN = 200_000
"""Largest society the page builds and draws (the schema allows more for batch runs)."""
ACK_TIMEOUT = 1.0
"""Seconds to wait for a draw acknowledgement; after 5 misses in a row Play pauses (tab gone)."""


class Session:
    """What one browser tab holds: its society, its two views, and the lock that orders them."""

    def __init__(self):
        self.network = NetworkView()
        self.charts = Charts()
        self.busy = threading.Lock()
        self.run: LiveRun | None = None

    def rebuild(self, preset: str, overrides: dict, seed: int) -> str | None:
        """Build a new society and show it; on a refusal keep the old one and return the message."""
        try:
            run = LiveRun(preset, overrides, seed)
        except (ValueError, OSError) as refusal:  # ParameterError is a ValueError
            return str(refusal).splitlines()[0] if str(refusal) else type(refusal).__name__
        with self.busy:
            self.run = run
            self.network.show(run)
            self.charts.show(run)
        return None

    def advance(self, run: LiveRun) -> bool:
        """Step ``run`` once and send the frame; False when ``run`` is no longer the shown society."""
        with self.busy:
            if run is not self.run:
                return False
            run.step()
            self.network.show(run)
        return True


def parse_seed(text: str) -> int:
    """A seed typed into the page: a whole number >= 0."""
    if not text.strip().isdigit():
        raise ParameterError("seed", f"seed must be a whole number >= 0; got {text!r}")
    return int(text.strip())


@solara.component
def Status(tick: solara.Reactive[int], session: Session):
    """Step counter, headline metrics and the clicked citizen (re-rendered alone on each tick)."""
    _ = tick.value
    run = session.run
    if run is None:
        return
    row = run.summary()
    line = (f"{run.n:,} citizens · listed {row.get('listed_share', 0.0):.1%} · collateral "
            f"{row.get('collateral_share', 0.0):.1%} · ties cut so far {run.ties_cut_total:,}")
    with solara.Row(style={"align-items": "baseline", "gap": "16px"}):
        solara.Text(f"Step {run.step_number}", classes=["tc-step"], style={"font-size": "20px",
                                                                           "font-weight": "bold"})
        solara.Text(line, classes=["tc-summary"])
    chosen = run.citizen(session.network.selected)
    solara.Text(chosen or "click a citizen to see their standing", classes=["tc-selected"],
                style={"font-size": "13px", "color": "#333"})


@solara.component
def Page():
    session: Session = solara.use_memo(Session, [])
    preset, set_preset = solara.use_state(DEFAULT_PRESET)
    overrides, set_overrides = solara.use_state({})
    seed, set_seed = solara.use_state(DEFAULT_SEED)
    seed_error, set_seed_error = solara.use_state("")
    build_error, set_build_error = solara.use_state("")
    generation, set_generation = solara.use_state(0)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(FASTEST)
    tick = solara.use_reactive(0)

    def refresh():
        tick.value += 1

    def start():
        session.rebuild(DEFAULT_PRESET, {}, DEFAULT_SEED)

        def on_select(change):
            refresh()

        session.network.observe(on_select, "selected")
        refresh()
        return lambda: session.network.unobserve(on_select, "selected")

    solara.use_effect(start, [])

    def rebuild(new_preset, new_overrides, new_seed) -> str | None:
        playing.value = False
        problem = session.rebuild(new_preset, new_overrides, new_seed)
        set_build_error(problem or "")
        if problem is None:
            set_generation(lambda g: g + 1)
            refresh()
        return problem

    def choose_preset(name):
        set_preset(name)
        set_overrides({})
        rebuild(name, {}, seed)

    def commit(name, value) -> str | None:
        if name == "n_citizens" and value > MAX_DRAWN:
            return (f"the page draws at most {MAX_DRAWN:,} citizens; got {value:,} "
                    "(use `trustcascade run` for larger societies)")
        new = {**overrides, name: value}
        try:
            effective_params(preset, new)
        except ParameterError as refusal:
            return str(refusal)
        if live_changeable(name) and session.run is not None:
            try:
                session.run.change(name, value)
            except ParameterError as refusal:
                return str(refusal)
            set_overrides(new)
            return None
        problem = rebuild(preset, new, seed)
        if problem is None:
            set_overrides(new)
        return problem

    def commit_seed(text):
        try:
            value = parse_seed(text)
        except ParameterError as refusal:
            set_seed_error(str(refusal))
            return
        set_seed_error("")
        set_seed(value)
        rebuild(preset, overrides, value)

    def step_once():
        run = session.run
        if run is not None and session.advance(run):
            session.charts.show(run)
            refresh()

    def play_loop(cancel: threading.Event):
        run = session.run
        if not playing.value or run is None:
            return
        last_refresh, misses = 0.0, 0
        while not cancel.is_set() and playing.value:
            started = time.perf_counter()
            if not session.advance(run):
                break
            misses = 0 if session.network.wait_drawn(ACK_TIMEOUT) else misses + 1
            if misses >= 5:
                playing.value = False
                break
            now = time.perf_counter()
            if now - last_refresh >= 1.0 / REFRESH_HZ:
                session.charts.show(run)
                refresh()
                last_refresh = now
            if speed.value < FASTEST:
                time.sleep(max(0.0, 1.0 / speed.value - (time.perf_counter() - started)))
        session.charts.show(run)
        refresh()

    solara.use_thread(play_loop, [playing.value], intrusive_cancel=False)

    values = effective_params(preset, overrides)
    solara.Title("trustcascade")
    with solara.Sidebar():
        with solara.Column(gap="6px"):
            solara.Select(label="Preset scenario", values=list(PRESETS), value=preset, on_value=choose_preset,
                          classes=["tc-preset"])
            solara.Text(PRESETS[preset].description, style={"font-size": "12px", "color": "#555"})
            solara.InputText(label="Seed", value=str(seed), on_value=commit_seed, error=seed_error or False,
                             message="same seed, same society and same run", classes=["tc-seed"])
            with solara.Row(gap="4px"):
                solara.Button("Reset", on_click=lambda: rebuild(preset, overrides, seed), classes=["tc-reset"])
                solara.Button("Step", on_click=step_once, disabled=playing.value, classes=["tc-step-button"])
                solara.Button("Pause" if playing.value else "Play", color="primary",
                              on_click=lambda: playing.set(not playing.value), classes=["tc-play"])
            solara.SliderInt("Speed (steps/s; 60 = as fast as it draws)", value=speed, min=1, max=FASTEST)
            if build_error:
                solara.Text(build_error, classes=["tc-error", "tc-build-error"], style={"color": "#b00020"})
            ParamGroups(values, commit, live_changeable, generation)
    with solara.Column(style={"padding": "8px"}):
        Status(tick, session)
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            with solara.Column(style={"flex": "1 1 560px", "max-width": "740px"}):
                solara.display(session.network)
            with solara.Column(style={"flex": "0 1 340px"}):
                solara.display(session.charts)

