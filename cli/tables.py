"""``trustcascade params``: the parameter table, generated from the schema."""

from __future__ import annotations

import json

from trustcascade.model.params import SCHEMA
from trustcascade.model.schema import GROUPS, ParameterError


def _range(param) -> str:
    if param.choices is not None:
        return " | ".join(map(str, param.choices))
    if param.type is bool:
        return "true | false"
    low = "" if param.min is None else f"{param.min:g}"
    high = "" if param.max is None else f"{param.max:g}"
    return f"{low}..{high}"


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="a JSON list of parameter objects")
    parser.add_argument("--group", help="only this group")


def command(args) -> int:
    chosen = [p for p in SCHEMA if args.group in (None, p.group)]
    if args.group is not None and args.group not in GROUPS:
        raise ParameterError("--group", f"--group must be one of {', '.join(GROUPS)}; got {args.group!r}")
    if args.json:
        print(json.dumps([p.as_dict() for p in chosen], indent=1))
        return 0
    for group in GROUPS:
        members = [p for p in chosen if p.group == group]
        if not members:
            continue
        print(f"\n{group}")
        for p in members:
            unit = f" [{p.unit}]" if p.unit else ""
            print(f"  {p.name:<26} {p.type.__name__:<5} {str(p.default):<16} {_range(p):<40} {p.help}{unit}")
    return 0
