"""The page's hooks: its session, its refresh tick, the play loop and the scenario link.

Each is a module-level ``use_*`` function, as in Solara's own examples: it may call Solara's
hooks and must be called from a component's body, unconditionally and always in the same
order. :func:`~.app.Page` calls them and hands what they return to its components.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable

import solara

from .scenario import Scenario, from_query
from .session import Session

REFRESH_HZ = 3.0
"""Status, chart and dossier refreshes per second during Play."""
FASTEST = 60
"""Top of the speed slider: no added delay, as fast as the browser draws."""
ACK_TIMEOUT = 1.0
"""Seconds to wait for a draw acknowledgement; after 5 misses in a row Play pauses (tab gone)."""
MISSED_ACKS_TO_PAUSE = 5


def use_session() -> Session:
    """This tab's society (two in compare mode), made once per page and kept across renders."""
    return solara.use_memo(Session, [])


def use_refresh() -> tuple[solara.Reactive[int], Callable[[], None]]:
    """A tick and the function that advances it: the status line, charts and dossier read the tick,
    so advancing it re-renders them alone, not the whole page."""
    tick = solara.use_reactive(0)

    def refresh():
        tick.value += 1

    return tick, refresh


@dataclass(frozen=True)
class Play:
    """Whether the page is playing, and how fast (steps a second; :data:`FASTEST` = no delay)."""

    playing: solara.Reactive[bool]
    speed: solara.Reactive[int]

    def stop(self) -> None:
        self.playing.value = False

    def toggle(self) -> None:
        self.playing.set(not self.playing.value)


def use_play_loop(session: Session, refresh: Callable[[], None]) -> Play:
    """Play: step, send one frame per society, wait for the browser's acknowledgement that it drew
    them, then step again, so frames never pile up in the websocket; refresh the slower parts of the
    page at most :data:`REFRESH_HZ` times a second. A thread per press of Play, ended by Pause."""
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(FASTEST)

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
            if misses >= MISSED_ACKS_TO_PAUSE:  # nobody is drawing: the tab is gone
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
    return Play(playing, speed)


@dataclass(frozen=True)
class ScenarioLink:
    """The scenario the page shows, kept in the address; ``rebuild`` makes a new society for it."""

    scenario: Scenario
    generation: int
    """Counts the societies built; components keyed on it start afresh with each new one."""
    build_error: str
    link_problems: list[str]
    rebuild: Callable[[Scenario], "str | None"]
    """Build a society for a scenario and publish it; return the refusal, or None."""
    publish: Callable[[Scenario], None]
    """Show a scenario (already applied to the society) and put it in the address."""

    @property
    def problems(self) -> list[str]:
        """What the page must say: the last refused build, then the entries left out of the link."""
        return [problem for problem in [self.build_error, *self.link_problems] if problem]


def use_scenario_link(session: Session, play: Play, refresh: Callable[[], None]) -> ScenarioLink:
    """Open the scenario of the address, keep the address in step with the page, and follow it
    when it changes (back/forward, or a link opened in this tab)."""
    router = solara.use_router()
    opened = solara.use_memo(lambda: from_query(router.search), [])
    scenario, set_scenario = solara.use_state(opened[0])
    link_problems, set_link_problems = solara.use_state(opened[1])
    build_error, set_build_error = solara.use_state("")
    generation, set_generation = solara.use_state(0)

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
        play.stop()
        problem = session.rebuild(new)
        set_build_error(problem or "")
        if problem is None:
            set_generation(lambda g: g + 1)
            publish(new)
            refresh()
        return problem

    def follow_link():
        if session.runs and (router.search or "") != session.scenario.query():
            new, problems = from_query(router.search)
            set_link_problems(problems)
            if new.query() != session.scenario.query():
                rebuild(new)

    solara.use_effect(follow_link, [router.search])
    return ScenarioLink(scenario, generation, build_error, link_problems, rebuild, publish)
