"""The browser page: pick a preset, press Play, watch sanctions spread over the network.

Run it with ``trustcascade app`` (or ``solara run trustcascade.visualization.app``). The
page only renders state and sends parameters: each tab's :class:`~.session.Session` holds
its society (two in compare mode), drawn by the anywidget views of ``canvas.py``. Play
steps, sends one frame per society, and waits for the browser's draw acknowledgements
before the next step (RECIPES.md), so renders never pile up; the status line, charts and
dossier refresh at most :data:`REFRESH_HZ` times a second meanwhile. The page's state
(preset, parameters, seed, compared policies) lives in the address (``scenario.py``).
"""

from __future__ import annotations

import threading
import time

import solara
import solara.lab

from trustcascade.model.presets import PRESETS
from trustcascade.model.schema import ParameterError

from .controls import ParamGroups
from .live import effective_params, live_changeable
from .panels import CompareControls, DossierPanel, Downloads, FindCitizen, InfoPanel
from .scenario import Policies, Scenario, check_drawable, from_query, parse_seed
from .session import Session

REFRESH_HZ = 3.0
"""Status, chart and dossier refreshes per second during Play."""
FASTEST = 60
"""Top of the speed slider: no added delay, as fast as the browser draws."""
ACK_TIMEOUT = 1.0
"""Seconds to wait for a draw acknowledgement; after 5 misses in a row Play pauses (tab gone)."""


def summary_line(run) -> str:
    row = run.summary()
    return (f"{run.n:,} citizens · listed {row.get('listed_share', 0.0):.1%} · collateral "
            f"{row.get('collateral_share', 0.0):.1%} · ties cut so far {run.ties_cut_total:,}")


@solara.component
def Status(tick: solara.Reactive[int], session: Session):
    """Step counter, headline metrics and the clicked citizen (re-rendered alone on each tick)."""
    _ = tick.value
    runs = session.runs
    if not runs:
        return
    with solara.Row(style={"align-items": "baseline", "gap": "16px", "flex-wrap": "wrap"}):
        solara.Text(f"Step {runs[0].step_number}", classes=["tc-step"], style={"font-size": "20px",
                                                                               "font-weight": "bold"})
        if len(runs) == 1:
            solara.Text(summary_line(runs[0]), classes=["tc-summary"])
        for which, run in enumerate(runs if len(runs) == 2 else []):
            solara.Text(f"{'AB'[which]}: {summary_line(run)}", classes=["tc-summary", f"tc-summary-{'ab'[which]}"])
    which, citizen = session.focus or (0, -1)
    chosen = runs[which].citizen(citizen)
    solara.Text(chosen or "click a citizen to see their standing", classes=["tc-selected"],
                style={"font-size": "13px", "color": "#333"})


@solara.component
def Page():
    session: Session = solara.use_memo(Session, [])
    router = solara.use_router()
    opened = solara.use_memo(lambda: from_query(router.search), [])
    scenario, set_scenario = solara.use_state(opened[0])
    link_problems, set_link_problems = solara.use_state(opened[1])
    seed_error, set_seed_error = solara.use_state("")
    build_error, set_build_error = solara.use_state("")
    generation, set_generation = solara.use_state(0)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(FASTEST)
    tick = solara.use_reactive(0)

    def refresh():
        tick.value += 1

    def start():
        problem = session.rebuild(opened[0])
        if problem is not None:  # a link whose combination the model refuses at build time
            set_link_problems(opened[1] + [problem])
            session.rebuild(Scenario())
            set_scenario(Scenario())
        session.on_focus = refresh
        set_generation(lambda g: g + 1)
        refresh()

    solara.use_effect(start, [])

    def publish(new: Scenario):
        set_scenario(new)
        if (router.search or "") != new.query():
            router.push(f"{router.path or '/'}?{new.query()}")

    def rebuild(new: Scenario) -> str | None:
        playing.value = False
        problem = session.rebuild(new)
        set_build_error(problem or "")
        if problem is None:
            set_generation(lambda g: g + 1)
            publish(new)
            refresh()
        return problem

    def follow_link():
        """The address changed (back/forward, or a link opened in this tab): rebuild from it."""
        if session.runs and (router.search or "") != session.scenario.query():
            new, problems = from_query(router.search)
            set_link_problems(problems)
            if new.query() != session.scenario.query():
                rebuild(new)

    solara.use_effect(follow_link, [router.search])

    def choose_preset(name):
        rebuild(scenario.with_(preset=name, overrides={}))

    def commit(name, value) -> str | None:
        if scenario.compare is not None and name == scenario.compare.name:
            return f"{name} is compared: set its value in A and in B under 'Compare two policies'"
        new = scenario.with_(overrides={**scenario.overrides, name: value})
        try:
            check_drawable(name, value)
            for which in ("A", "B") if new.compare else ("",):
                effective_params(new.preset, new.overrides_for(which))
        except ParameterError as refusal:
            return str(refusal)
        if live_changeable(name) and session.runs:
            try:
                for run in session.runs:
                    run.change(name, value)
            except ParameterError as refusal:
                return str(refusal)
            session.scenario = new
            publish(new)
            return None
        return rebuild(new)

    def compare_policies(chosen: Policies | None) -> str | None:
        new = scenario.with_(compare=chosen)
        try:
            for which in ("A", "B") if chosen else ("",):
                effective_params(new.preset, new.overrides_for(which))
        except ParameterError as refusal:
            return str(refusal)
        return rebuild(new)

    def commit_seed(text):
        try:
            value = parse_seed(text)
        except ParameterError as refusal:
            set_seed_error(str(refusal))
            return
        set_seed_error("")
        rebuild(scenario.with_(seed=value))

    def step_once():
        runs = session.runs
        if runs and session.advance(runs):
            session.show_charts()
            refresh()

    def play_loop(cancel: threading.Event):
        runs = session.runs
        if not playing.value or not runs:
            return
        last_refresh, misses = 0.0, 0
        while not cancel.is_set() and playing.value:
            started = time.perf_counter()
            if not session.advance(runs):
                break
            misses = 0 if session.wait_drawn(ACK_TIMEOUT) else misses + 1
            if misses >= 5:
                playing.value = False
                break
            now = time.perf_counter()
            if now - last_refresh >= 1.0 / REFRESH_HZ:
                session.show_charts()
                refresh()
                last_refresh = now
            if speed.value < FASTEST:
                time.sleep(max(0.0, 1.0 / speed.value - (time.perf_counter() - started)))
        session.show_charts()
        refresh()

    solara.use_thread(play_loop, [playing.value], intrusive_cancel=False)

    values = effective_params(scenario.preset, scenario.overrides)
    comparing = scenario.compare is not None
    solara.Title("trustcascade")
    with solara.Sidebar():
        with solara.Column(gap="6px"):
            solara.Select(label="Preset scenario", values=list(PRESETS), value=scenario.preset,
                          on_value=choose_preset, classes=["tc-preset"])
            solara.Text(PRESETS[scenario.preset].description, style={"font-size": "12px", "color": "#555"})
            solara.InputText(label="Seed", value=str(scenario.seed), on_value=commit_seed,
                             error=seed_error or False, classes=["tc-seed"],
                             message="same seed, same society and same run")
            with solara.Row(gap="4px"):
                solara.Button("Reset", on_click=lambda: rebuild(scenario), classes=["tc-reset"])
                solara.Button("Step", on_click=step_once, disabled=playing.value, classes=["tc-step-button"])
                solara.Button("Pause" if playing.value else "Play", color="primary",
                              on_click=lambda: playing.set(not playing.value), classes=["tc-play"])
            solara.SliderInt("Speed (steps/s; 60 = as fast as it draws)", value=speed, min=1, max=FASTEST)
            for problem in [build_error] + list(link_problems):
                if problem:
                    solara.Text(problem, classes=["tc-error", "tc-build-error"], style={"color": "#b00020"})
            CompareControls(scenario.compare, values, compare_policies).key(f"compare-{generation}")
            Downloads(session, scenario.query())
            ParamGroups(values, commit, live_changeable, generation)
    with solara.lab.Tabs():
        with solara.lab.Tab("Model", classes=["tc-tab-model"]):
            ModelTab(tick, session, comparing, session.runs[0].n if session.runs else 0)
        with solara.lab.Tab("Info", classes=["tc-tab-info"]):
            InfoPanel()


@solara.component
def ModelTab(tick: solara.Reactive[int], session: Session, comparing: bool, size: int):
    """One society: network, dossier and charts; two: both networks, then the shared-axes charts."""
    with solara.Column(style={"padding": "8px"}):
        Status(tick, session)
        if comparing:
            with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
                for view in session.views:
                    with solara.Column(style={"flex": "1 1 380px", "max-width": "560px"}):
                        solara.display(view)
                with solara.Column(style={"flex": "0 1 340px"}):
                    Dossier(tick, session, True, size)
            solara.display(session.compare_charts)
        else:
            with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start"}):
                with solara.Column(style={"flex": "1 1 560px", "max-width": "740px"}):
                    solara.display(session.views[0])
                with solara.Column(style={"flex": "0 1 340px"}):
                    Dossier(tick, session, False, size)
                    solara.display(session.charts)


@solara.component
def Dossier(tick: solara.Reactive[int], session: Session, comparing: bool, size: int):
    """Search by id above the selected citizen's dossier."""
    if size:
        FindCitizen(size, session)
    DossierPanel(tick, session, comparing)
