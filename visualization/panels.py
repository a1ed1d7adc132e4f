"""The page's classroom panels: a citizen's dossier, the Info text, compare controls, downloads.

Plain Solara components and inline HTML/SVG: nothing is fetched from a CDN (no Markdown
renderer). The panels read a :class:`~trustcascade.visualization.session.Session` and ask
it to act; they hold no model logic.
"""

from __future__ import annotations

import html
from typing import Callable

import solara

from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import ParameterError

from .controls import shown
from .dossier import Line, dossier_of, score_svg
from .info import SECTIONS
from .scenario import Policies, offered, parse_value

SMALL = {"font-size": "12px", "color": "#555"}
ERROR = {"color": "#b00020", "font-size": "12px"}
LINK = {"text-transform": "none", "letter-spacing": "normal", "justify-content": "flex-start",
        "height": "auto", "min-height": "22px", "white-space": "normal", "text-align": "left"}


@solara.component
def InfoPanel():
    """NetLogo-style Info: what it is, how it works, how to use it, things to notice and try..."""
    with solara.Column(classes=["tc-info"], style={"max-width": "780px", "padding": "4px 8px"}):
        for title, paragraphs in SECTIONS:
            solara.HTML(tag="h3", unsafe_innerHTML=html.escape(title), style="margin:12px 0 4px 0")
            for paragraph in paragraphs:
                solara.HTML(tag="p", unsafe_innerHTML=html.escape(paragraph), style="margin:0 0 6px 0")


@solara.component
def Lines(lines: list[Line], select: Callable[[int], None], css: str):
    """Dossier lines: step, text, and a link to the person a line names."""
    for line in lines:
        prefix = f"month {line.step}: " if line.step is not None else ""
        if line.citizen is None:
            solara.Text(prefix + line.text, classes=[css], style={"font-size": "12px"})
        else:
            solara.Button(prefix + line.text, text=True, small=True, color="primary", style=LINK,
                          classes=[css, "tc-dossier-link", f"tc-link-{line.citizen}"],
                          on_click=lambda who=line.citizen: select(who))


@solara.component
def FindCitizen(size: int, session):
    """Search by id: the dossier opens as the number is typed (each keystroke is kept, so a
    re-render of the page never drops what was typed)."""
    error, set_error = solara.use_state("")
    text, set_text = solara.use_state("")

    def find(typed):
        set_text(typed)
        entry = str(typed).strip()
        if not entry:
            set_error("")
            return
        if not entry.isdigit() or int(entry) >= size:
            set_error(f"citizen must be a whole number in the range [0, {size - 1}]; got {entry!r}")
            return
        set_error("")
        session.select(session.focus_society(), int(entry))

    solara.InputText(label="Find a citizen (number)", value=text, on_value=find, error=error or False,
                     continuous_update=True,
                     classes=["tc-find"], message=f"0 to {size - 1}, or click a person in the network")


@solara.component
def DossierPanel(tick: solara.Reactive[int], session, compare: bool):
    """The selected citizen's dossier: standing, why listed (links), score over time, events."""
    _ = tick.value
    if not session.runs:
        return
    with solara.Column(gap="2px", classes=["tc-dossier-panel"]):
        focus = session.focus
        if focus is None:
            solara.Text("No one selected.", style=SMALL)
            return
        which, citizen = focus
        run = session.runs[which]
        dossier = dossier_of(run, citizen)
        if dossier is None:
            return
        select = lambda who: session.select(which, who)  # noqa: E731
        if compare:
            solara.Text(f"in society {'AB'[which]}", style=SMALL)
        solara.Text(dossier.headline, classes=["tc-dossier-headline"], style={"font-weight": "bold"})
        if dossier.cause:
            solara.Text(f"Why listed (latest listing): {dossier.cause}", classes=["tc-dossier-cause"],
                        style={"font-size": "13px"})
            Lines(dossier.chain, select, "tc-dossier-chain")
        if compare:
            other = 1 - which
            twin = dossier_of(session.runs[other], citizen)
            if twin is not None:
                solara.Button(f"same person in society {'AB'[other]}: " + twin.headline.split(": ", 1)[1],
                              text=True, small=True, style=LINK, classes=["tc-dossier-twin"],
                              on_click=lambda: session.select(other, citizen))
        solara.HTML(unsafe_innerHTML=score_svg(dossier.steps, dossier.scores, dossier.threshold))
        Lines(dossier.ties, select, "tc-dossier-tie")
        solara.Text(f"Events, newest first ({len(dossier.events)} shown)", style=SMALL)
        with solara.Column(gap="0px", style={"max-height": "220px", "overflow-y": "auto"}):
            Lines(dossier.events, select, "tc-dossier-event")


@solara.component
def CompareControls(policies: Policies | None, values: dict, on_policies: Callable[[Policies | None], str | None]):
    """Switch compare mode on or off; choose the parameter and its value in society A and B."""
    error, set_error = solara.use_state("")

    def apply(chosen):
        set_error(on_policies(chosen) or "")

    def toggle(on):
        from .scenario import DEFAULT_POLICIES

        apply(Policies(*DEFAULT_POLICIES) if on else None)

    def choose(name):
        apply(Policies(name, values[name], values[name]))

    def set_value(which, text):
        try:
            value = parse_value(policies.name, text)
        except ParameterError as refusal:
            set_error(str(refusal))
            return
        apply(Policies(policies.name, value if which == "a" else policies.a, value if which == "b" else policies.b))

    with solara.Column(gap="0px", classes=["tc-compare"]):
        solara.Checkbox(label="Compare two policies (same seed)", value=policies is not None, on_value=toggle)
    if policies is not None:
        names = [p.name for p in SCHEMA if offered(p.name)]
        solara.Select(label="Parameter that differs", values=names, value=policies.name, on_value=choose,
                      classes=["tc-compare-name"])
        with solara.Row(gap="4px"):
            solara.InputText(label="in A", value=shown(policies.a), on_value=lambda t: set_value("a", t),
                             classes=["tc-compare-a"])
            solara.InputText(label="in B", value=shown(policies.b), on_value=lambda t: set_value("b", t),
                             classes=["tc-compare-b"])
        solara.Text(SCHEMA[policies.name].allowed(), style=SMALL)
    if error:
        solara.Text(error, classes=["tc-error", "tc-compare-error"], style=ERROR)


@solara.component
def Downloads(session, query: str):
    """The scenario link, and the run's per-step data as CSV."""
    solara.Text("Scenario link (same preset, parameters and seed):", style=SMALL)
    solara.HTML(tag="a", unsafe_innerHTML=html.escape("?" + query), classes=["tc-link"],
                attributes={"href": "?" + query}, style="font-size:12px;word-break:break-all")
    with solara.FileDownload(session.csv, filename=session.file_stem() + ".csv", mime_type="text/csv"):
        solara.Button("Download CSV", small=True, outlined=True, classes=["tc-csv"])
