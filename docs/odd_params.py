"""Rewrite the parameter table of docs/ODD.md from the schema (the one source of parameters).

Run: .venv/bin/python docs/odd_params.py
"""

from __future__ import annotations

from pathlib import Path

ODD = Path(__file__).with_name("ODD.md")
START, END = "<!-- parameters:start -->", "<!-- parameters:end -->"


def _allowed(param) -> str:
    if param.choices is not None:
        return ", ".join(f"`{choice}`" for choice in param.choices)
    if param.type is bool:
        return "true, false"
    if param.min is None and param.max is None:
        return "any"
    return f"{param.min:g} .. {param.max:g}"


def table() -> str:
    """The Markdown table: one row per parameter, grouped as ``trustcascade params`` groups them."""
    from trustcascade.model.params import SCHEMA
    from trustcascade.model.schema import GROUPS

    lines = ["| parameter | group | default | allowed | unit | meaning |", "|---|---|---|---|---|---|"]
    for group in GROUPS:
        for param in (p for p in SCHEMA if p.group == group):
            default = "(empty)" if param.default == "" else str(param.default)
            lines.append(f"| `{param.name}` | {group} | {default} | {_allowed(param)} | {param.unit or ''} "
                         f"| {param.help} |")
    return "\n".join(lines)


def with_table(text: str) -> str:
    """``text`` (ODD.md) with the block between the markers replaced by :func:`table`."""
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


if __name__ == "__main__":
    ODD.write_text(with_table(ODD.read_text()))
    print(f"wrote the parameter table of {ODD}")
