"""The browser page: pick a preset, press Play, watch sanctions spread over the network.

Run it with ``trustcascade app`` (or ``solara run trustcascade.visualization.app``). The
page only renders state and sends parameters: each tab's :class:`~.session.Session` holds
its society (two in compare mode), drawn by the anywidget views of ``canvas.py``. Play
(:func:`~.hooks.use_play_loop`) steps, sends one frame per society, and waits for the
browser's draw acknowledgement before the next step, so renders never pile up (a Solara
page that re-renders on a timer instead fails with "Too many renders triggered" when the
model is fast); the status line, charts and dossier refresh at most
:data:`~.hooks.REFRESH_HZ` times a second meanwhile. The page's state (preset, parameters,
seed, compared policies) lives in the address (:func:`~.hooks.use_scenario_link`,
``scenario.py``).

:func:`Page` calls the hooks of ``hooks.py`` and lays out the components below: the
sidebar (scenario, play controls, problems, parameters) and the Model and Info tabs.
"""

from __future__ import annotations

import solara
import solara.lab

from trustcascade.model.presets import PRESETS
from trustcascade.model.schema import ParameterError

from .controls import ParamGroups
from .hooks import FASTEST, Play, ScenarioLink, use_play_loop, use_refresh, use_scenario_link, use_session
from .live import effective_params, live_changeable
from .panels import CompareControls, DossierPanel, Downloads, FindCitizen, InfoPanel
from .scenario import Policies, Scenario, check_drawable, parse_seed
from .session import Session


def summary_line(run) -> str:
    row = run.summary()
    return (f"{run.n:,} citizens · listed {row.get('listed_share', 0.0):.1%} · collateral "
            f"{row.get('collateral_share', 0.0):.1%} · ties cut so far {run.ties_cut_total:,}")


def check_scenario(new: Scenario) -> str | None:
    """The refusal of the schema for any society of ``new`` (both in compare mode), or None."""
    try:
        for which in ("A", "B") if new.compare else ("",):
            effective_params(new.preset, new.overrides_for(which))
    except ParameterError as refusal:
        return str(refusal)
    return None


def change_parameter(session: Session, link: ScenarioLink, name: str, value) -> str | None:
    """A parameter typed into the sidebar: policy parameters apply to the running societies from
    the next step; those that shape the society build a new one. Returns the refusal, or None."""
    scenario = link.scenario
    if scenario.compare is not None and name == scenario.compare.name:
        return f"{name} is compared: set its value in A and in B under 'Compare two policies'"
    new = scenario.with_(overrides={**scenario.overrides, name: value})
    try:
        check_drawable(name, value)
    except ParameterError as refusal:
        return str(refusal)
    if (refusal := check_scenario(new)) is not None:
        return refusal
    if live_changeable(name) and session.runs:
        try:
            for run in session.runs:
                run.change(name, value)
        except ParameterError as refusal:
            return str(refusal)
        session.scenario = new
        link.publish(new)
        return None
    return link.rebuild(new)


def compare_policies(link: ScenarioLink, chosen: Policies | None) -> str | None:
    """Start (or stop) comparing two policies: a new pair of societies from the same seed."""
    new = link.scenario.with_(compare=chosen)
    if (refusal := check_scenario(new)) is not None:
        return refusal
    return link.rebuild(new)


@solara.component
def Page():
    session = use_session()
    tick, refresh = use_refresh()
    play = use_play_loop(session, refresh)
    link = use_scenario_link(session, play, refresh)
    scenario = link.scenario
    values = effective_params(scenario.preset, scenario.overrides)
    solara.Title("trustcascade")
    with solara.Sidebar():
        with solara.Column(gap="6px"):
            ScenarioPicker(link)
            PlayControls(session, link, play, refresh)
            if link.problems:
                Problems(link.problems)
            CompareControls(scenario.compare, values, lambda chosen: compare_policies(link, chosen)
                            ).key(f"compare-{link.generation}")
            Downloads(session, scenario.query())
            ParamGroups(values, lambda name, value: change_parameter(session, link, name, value),
                        live_changeable, link.generation)
    with solara.lab.Tabs():
        with solara.lab.Tab("Model", classes=["tc-tab-model"]):
            ModelTab(tick, session, scenario.compare is not None, session.runs[0].n if session.runs else 0)
        with solara.lab.Tab("Info", classes=["tc-tab-info"]):
            InfoPanel()


@solara.component
def ScenarioPicker(link: ScenarioLink):
    """The preset, what it is, and the seed: the society the page builds."""
    scenario = link.scenario
    seed_error, set_seed_error = solara.use_state("")

    def commit_seed(text):
        try:
            value = parse_seed(text)
        except ParameterError as refusal:
            set_seed_error(str(refusal))
            return
        set_seed_error("")
        link.rebuild(scenario.with_(seed=value))

    with solara.Column(gap="6px"):
        solara.Select(label="Preset scenario", values=list(PRESETS), value=scenario.preset,
                      on_value=lambda name: link.rebuild(scenario.with_(preset=name, overrides={})),
                      classes=["tc-preset"])
        solara.Text(PRESETS[scenario.preset].description, style={"font-size": "12px", "color": "#555"})
        solara.InputText(label="Seed", value=str(scenario.seed), on_value=commit_seed,
                         error=seed_error or False, classes=["tc-seed"],
                         message="same seed, same society and same run")


@solara.component
def PlayControls(session: Session, link: ScenarioLink, play: Play, refresh):
    """Reset, Step, Play/Pause and the speed slider."""

    def step_once():
        runs = session.runs
        if runs and session.advance(runs):
            session.show_charts()
            refresh()

    playing = play.playing.value
    with solara.Column(gap="6px"):
        with solara.Row(gap="4px"):
            solara.Button("Reset", on_click=lambda: link.rebuild(link.scenario), classes=["tc-reset"])
            solara.Button("Step", on_click=step_once, disabled=playing, classes=["tc-step-button"])
            solara.Button("Pause" if playing else "Play", color="primary", on_click=play.toggle,
                          classes=["tc-play"])
        solara.SliderInt("Speed (steps/s; 60 = as fast as it draws)", value=play.speed, min=1, max=FASTEST)


@solara.component
def Problems(problems: list[str]):
    """The last refused build and the entries a link could not use, one line each."""
    with solara.Column(gap="6px"):
        for problem in problems:
            solara.Text(problem, classes=["tc-error", "tc-build-error"], style={"color": "#b00020"})


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
