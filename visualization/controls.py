"""Controls generated from the parameter schema: one field per :class:`Param`, by group.

Every entry goes through ``Param.parse`` and then the whole set through ``SCHEMA.resolve``
(via the page's ``on_commit``); a refusal shows its one-line message under the field and
changes nothing. Only the chosen group's fields are rendered, so the page starts fast.
"""

from __future__ import annotations

from typing import Callable

import solara

from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import GROUPS, Param, ParameterError

HIDDEN = {"graph_file": None, "network": "file", "memoranda_file": None}
"""Not offered on the page, which serves people on other machines: it reads no file from the
server's disk (``graph_file``, ``memoranda_file``, and ``network=file`` with it)."""

Commit = Callable[[str, object], "str | None"]
"""``on_commit(name, value)`` applies a parsed value and returns an error message or None."""


def shown(value) -> str:
    """A parameter value as the user would type it."""
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else repr(value)
    return str(value)


def label_of(param: Param) -> str:
    return f"{param.name} ({param.unit})" if param.unit else param.name


@solara.component
def ParamField(param: Param, value, on_commit: Commit):
    """A text field (numbers, strings), a select (choices) or a checkbox (switches)."""
    text, set_text = solara.use_state(shown(value))
    error, set_error = solara.use_state("")

    def commit(entry):
        if param.type is not bool and param.choices is None:
            set_text(entry if isinstance(entry, str) else shown(entry))
        try:
            parsed = param.parse(entry)
        except ParameterError as refusal:
            set_error(str(refusal))
            return
        set_error(on_commit(param.name, parsed) or "")

    if param.type is bool:
        with solara.Column(gap="0px"):
            solara.Checkbox(label=param.name.removeprefix("rule_"), value=bool(value), on_value=commit)
            if error:
                solara.Text(error, classes=["tc-error"], style={"color": "#b00020", "font-size": "12px"})
    elif param.choices is not None:
        with solara.Column(gap="0px"):
            choices = [c for c in param.choices if HIDDEN.get(param.name) != c]
            solara.Select(label=label_of(param), values=choices, value=value, on_value=commit)
            if error:
                solara.Text(error, classes=["tc-error"], style={"color": "#b00020", "font-size": "12px"})
    else:
        solara.InputText(label=label_of(param), value=text, on_value=commit, error=error or False,
                         message=f"{param.help}; {param.allowed()}", classes=["tc-param", f"tc-param-{param.name}"])


@solara.component
def ParamGroups(values: dict, on_commit: Commit, live: Callable[[str], bool], generation: int):
    """Buttons to pick a group (Authority, Society, Network, Behaviour, Rules) and its fields.

    A new ``generation`` (a preset change, a rebuilt society) remounts the fields, so they
    show the values in force and drop stale entries and messages.
    """
    group, set_group = solara.use_state(GROUPS[0])
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}):
        for name in GROUPS:
            solara.Button(name, on_click=lambda name=name: set_group(name), small=True,
                          color="primary" if name == group else None, outlined=name != group,
                          classes=[f"tc-group-{name}"])
    members = [p for p in SCHEMA if p.group == group and not (p.name in HIDDEN and HIDDEN[p.name] is None)]
    rebuilds = [p.name for p in members if not live(p.name)]
    note = ("switches of the step's rules; changes apply from the next step" if group == "Rules" else
            "changes apply from the next step" if not rebuilds else
            "changes apply from the next step; " + ("all" if len(rebuilds) == len(members) else "some")
            + " of these build a new society (same seed)")
    solara.Text(note, style={"font-size": "12px", "color": "#555"})
    with solara.Column(gap="2px", style={"max-height": "55vh", "overflow-y": "auto"}):
        for param in members:
            ParamField(param, values[param.name], on_commit).key(f"{param.name}-{generation}")
